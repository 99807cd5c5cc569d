-- wrk script: POST new cases to /api/v1/cases, cycling through real messages (one JSON body per line in
-- the file named by the BODIES environment variable, written by bench/bench_http.py).
local bodies = {}
local n = 0
init = function(args)
  for line in io.lines(os.getenv("BODIES")) do
    bodies[#bodies + 1] = line
  end
  n = math.random(#bodies)
end
request = function()
  n = n % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[n])
end
