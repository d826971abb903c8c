terraform {
  # Provider-free on purpose: this module only renders manifests (objects and YAML), so it plans,
  # tests and renders offline. modules/knative applies them; `kubectl apply -f` works as well.
  required_version = ">= 1.9.0"
}
