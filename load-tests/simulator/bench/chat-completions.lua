-- wrk script: one fixed non-streamed OpenAI chat request, as a gateway would forward it.
-- Usage: wrk -t2 -c64 -d15s --latency -s load-tests/simulator/bench/chat-completions.lua \
--          http://127.0.0.1:18090/v1/chat/completions
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-spillway-local-dev"
wrk.body = '{"model":"gpt-4o-mini","max_tokens":64,"messages":['
  .. '{"role":"system","content":"You are a helpful assistant."},'
  .. '{"role":"user","content":"Summarise the benefits of a spillway in two sentences."}]}'
