-- wrk script for the HTTP booking load (bench/throughput.py writes its input).
-- Run with one connection per thread: thread N is client N, with its own signed-in session.
-- Arguments after `--`: the folder of client files, the path to POST to, the CSRF secret.
-- client-N.txt holds the Cookie header on its first line, then one JSON body per line;
-- each body is sent once, and a client whose bodies run out stops (the load is bounded).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  folder, path, csrf = args[1], args[2], args[3]
  local file = assert(io.open(folder .. "/client-" .. wrk.thread:get("id") .. ".txt"))
  cookie = file:read("*l")
  bodies = {}
  for line in file:lines() do
    bodies[#bodies + 1] = line
  end
  file:close()
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  if sent > #bodies then
    wrk.thread:stop()
    sent = #bodies -- one last repeat may go out before the thread stops; it is counted
  end
  local headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = cookie,
    ["X-CSRFToken"] = csrf,
  }
  return wrk.format("POST", path, headers, bodies[sent])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

-- One JSON line for throughput.py: status counts, failures without an answer, latency in us.
function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    parts[#parts + 1] = string.format('"%d": %d', status, n)
  end
  local errors = summary.errors
  io.write(string.format(
    '{"statuses": {%s}, "no_answer": %d, "p50_us": %d, "p99_us": %d, "duration_us": %d}\n',
    table.concat(parts, ", "),
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99), summary.duration
  ))
end
