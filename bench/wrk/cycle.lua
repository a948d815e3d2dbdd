-- wrk script for the glossary benchmark (bench/run.py writes the path lists).
--
-- Requests cycle through the paths listed one a line in the file named by the
-- environment variable BENCH_PATHS (200 term pages, a few dozen searches...),
-- so the load is not one cached row. Every URL, /healthz included, goes
-- through this same script so that wrk spends the same effort per request on
-- each, and the ratios to /healthz compare the app, not the client.
--
-- done() prints what wrk's own report lacks: p95, and the error counters as
-- numbers. run.py reads the lines that start with "BENCH ".

local paths = {}
local position = 0
local next_thread = 0

function setup(thread)
  -- Each thread starts at a different place in the list.
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  local file = os.getenv("BENCH_PATHS")
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then
        paths[#paths + 1] = line
      end
    end
  end
  if #paths > 0 then
    -- BENCH_THREAD_SPACING paths apart: 37 mixes the cycle; len / threads never lets
    -- a thread reach a path another thread has asked (the never-cached search run).
    local spacing = tonumber(os.getenv("BENCH_THREAD_SPACING") or "37")
    position = ((thread_number or 0) * spacing) % #paths
  end
end

function request()
  if #paths == 0 then
    return wrk.format()
  end
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
  io.write(string.format(
    "BENCH latency_us p50=%d p90=%d p95=%d p99=%d max=%d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
  local errors = summary.errors
  io.write(string.format(
    "BENCH counts requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout))
end
