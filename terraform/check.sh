#!/usr/bin/env bash
# Offline checks of terraform/: fmt, then init/validate/test of every module and example against
# the providers found in a local filesystem mirror, then the Knative render and its schema check.
# Nothing is written into the source tree: data dirs, state and the rendered YAML go to
# <repo>/target/terraform; lock files that init creates are removed again (and are git-ignored).
# Last line: "terraform: N passed, N failed[, N skipped]". Exit status 1 when a check failed.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$script_dir/.." && pwd)"
tf_root="$repo/terraform"
target="$repo/target/terraform"
mkdir -p "$target"

passed=0
failed=0
skipped=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1"; }

summary() {
  local line="terraform: $passed passed, $failed failed"
  if [ "$skipped" -gt 0 ]; then line="$line, $skipped skipped"; fi
  echo "$line"
  if [ "$failed" -gt 0 ]; then exit 1; fi
  exit 0
}

# Runs a command with its output in a log; shows the log's tail when it fails.
run_logged() {
  local log="$1"
  shift
  if "$@" >"$log" 2>&1; then
    return 0
  fi
  sed -e 's/^/    /' "$log" | tail -n 40
  return 1
}

export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

# Modules and examples (folders holding .tf files directly under modules/ and examples/).
units=()
for dir in "$tf_root"/modules/*/ "$tf_root"/examples/*/; do
  [ -d "$dir" ] || continue
  compgen -G "$dir*.tf" >/dev/null || continue
  units+=("${dir%/}")
done

if ! command -v terraform >/dev/null 2>&1; then
  skip "fmt: terraform is not installed (not on PATH)"
  for dir in "${units[@]}"; do
    rel="${dir#"$tf_root"/}"
    skip "$rel validate: terraform is not installed (not on PATH)"
    skip "$rel test: terraform is not installed (not on PATH)"
  done
  skip "knative-render: terraform is not installed (not on PATH)"
  skip "knative schema: terraform is not installed, nothing rendered"
  summary
fi

# --- provider mirror -------------------------------------------------------------------------------
find_mirror() { # $1 = provider type (aws, kubernetes)
  local candidate
  for candidate in "${SPILLWAY_TF_MIRROR:-}" /opt/tf-plugins "${HOME:-/root}/.terraform.d/plugins" \
    /usr/share/terraform/plugins /usr/local/share/terraform/plugins; do
    [ -n "$candidate" ] || continue
    if [ -d "$candidate/registry.terraform.io/hashicorp/$1" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

declare -A mirror=()
for provider in aws kubernetes; do
  if found="$(find_mirror "$provider")"; then mirror[$provider]="$found"; fi
done

cli_config="$target/terraformrc"
{
  echo "provider_installation {"
  for provider in "${!mirror[@]}"; do
    echo "  filesystem_mirror {"
    echo "    path    = \"${mirror[$provider]}\""
    echo "    include = [\"registry.terraform.io/hashicorp/$provider\"]"
    echo "  }"
  done
  echo "  direct {"
  echo "    exclude = [\"registry.terraform.io/*/*\"]"
  echo "  }"
  echo "}"
} >"$cli_config"
export TF_CLI_CONFIG_FILE="$cli_config"

echo "terraform: $(terraform version | head -n 1)"

# --- fmt -------------------------------------------------------------------------------------------
if run_logged "$target/fmt.log" terraform fmt -check -recursive -diff "$tf_root"; then
  pass "fmt (terraform fmt -check -recursive)"
else
  fail "fmt: terraform fmt -check -recursive found unformatted files (run terraform fmt -recursive terraform)"
fi

# Providers a configuration needs: its own required_providers and those of the local modules it calls.
providers_of() { # $1 = directory
  local dir="$1" src
  grep -ho 'source *= *"hashicorp/[a-z0-9-]*"' "$dir"/*.tf 2>/dev/null | sed 's/.*hashicorp\/\([a-z0-9-]*\)"/\1/' || true
  for src in $(grep -ho 'source *= *"\.\.*/[^"]*"' "$dir"/*.tf 2>/dev/null | sed 's/.*"\(.*\)"/\1/'); do
    providers_of "$(cd "$dir/$src" && pwd)"
  done
}

# --- init / validate / test per module and example -------------------------------------------------
for dir in "${units[@]}"; do
  rel="${dir#"$tf_root"/}"
  missing=""
  for provider in $(providers_of "$dir" | sort -u); do
    if [ -z "${mirror[$provider]:-}" ]; then
      missing="$provider"
      break
    fi
  done
  if [ -n "$missing" ]; then
    skip "$rel validate: provider hashicorp/$missing is not installed (no filesystem mirror holds it)"
    if compgen -G "$dir/tests/*.tftest.hcl" >/dev/null; then
      skip "$rel test: provider hashicorp/$missing is not installed (no filesystem mirror holds it)"
    fi
    continue
  fi

  data_dir="$target/$rel"
  log_dir="$target/logs/$rel"
  mkdir -p "$data_dir" "$log_dir"
  lock="$dir/.terraform.lock.hcl"
  had_lock=0
  [ -e "$lock" ] && had_lock=1

  ok=1
  if ! TF_DATA_DIR="$data_dir" run_logged "$log_dir/init.log" terraform -chdir="$dir" init -backend=false -no-color; then
    ok=0
  fi
  if [ "$ok" -eq 1 ] && TF_DATA_DIR="$data_dir" run_logged "$log_dir/validate.log" terraform -chdir="$dir" validate -no-color; then
    pass "$rel validate"
  else
    fail "$rel validate (init or validate failed; logs in ${log_dir#"$repo"/})"
    ok=0
  fi
  if compgen -G "$dir/tests/*.tftest.hcl" >/dev/null; then
    if [ "$ok" -eq 1 ] && TF_DATA_DIR="$data_dir" run_logged "$log_dir/test.log" terraform -chdir="$dir" test -no-color; then
      pass "$rel test ($(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$log_dir/test.log" | tail -n 1))"
    else
      fail "$rel test (logs in ${log_dir#"$repo"/})"
    fi
  fi
  if [ "$had_lock" -eq 0 ]; then rm -f "$lock"; fi
done

# --- render the Knative deployment and check it against the Knative schemas ------------------------
render_dir="$tf_root/examples/knative-render"
yaml="$target/knative.yaml"
rm -f "$yaml"
if [ -d "$render_dir" ]; then
  data_dir="$target/render"
  mkdir -p "$data_dir"
  state="$target/knative-render.tfstate"
  if TF_DATA_DIR="$data_dir" run_logged "$target/render-init.log" terraform -chdir="$render_dir" init -backend=false -no-color &&
    TF_DATA_DIR="$data_dir" run_logged "$target/render-apply.log" terraform -chdir="$render_dir" apply -auto-approve -no-color -state="$state" &&
    TF_DATA_DIR="$data_dir" terraform -chdir="$render_dir" output -no-color -state="$state" -raw yaml >"$yaml" 2>"$target/render-output.log"; then
    pass "knative-render: $(grep -c '^---$' "$yaml") documents in ${yaml#"$repo"/}"
  else
    fail "knative-render: could not render examples/knative-render"
    rm -f "$yaml"
  fi
  rm -f "$render_dir/.terraform.lock.hcl"
fi

schema_dir="$tf_root/tests/knative-schema"
if [ ! -s "$yaml" ]; then
  skip "knative schema: nothing was rendered to validate"
elif ! command -v node >/dev/null 2>&1; then
  skip "knative schema: node is not installed (not on PATH)"
elif [ ! -d "$schema_dir/node_modules/@kubernetes-models/knative" ] && ! command -v npm >/dev/null 2>&1; then
  skip "knative schema: npm is not installed and $schema_dir/node_modules is missing"
else
  if [ ! -d "$schema_dir/node_modules/@kubernetes-models/knative" ]; then
    if ! run_logged "$target/npm-ci.log" npm ci --no-audit --no-fund --prefix "$schema_dir"; then
      fail "knative schema: npm ci failed (registry unreachable?)"
      summary
    fi
  fi
  if run_logged "$target/knative-schema.log" node "$schema_dir/validate.mjs" "$yaml"; then
    pass "knative schema ($(tail -n 1 "$target/knative-schema.log"))"
  else
    fail "knative schema (see ${target#"$repo"/}/knative-schema.log)"
  fi
fi

summary
