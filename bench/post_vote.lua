-- wrk script: POST votes to /api/v1/consultations/ID/votes, cycling through lines "token<TAB>body" (the file
-- named by the VOTES environment variable, written by bench/bench_votes.py).
local lines = {}
local n = 0
init = function(args)
  for line in io.lines(os.getenv("VOTES")) do
    local tab = line:find("\t")
    lines[#lines + 1] = {line:sub(1, tab - 1), line:sub(tab + 1)}
  end
  n = math.random(#lines)
end
request = function()
  n = n % #lines + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["X-Participant"] = lines[n][1]}, lines[n][2])
end
