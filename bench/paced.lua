-- paced closed loop: each connection waits PACE_MS after a response before its next request,
-- so every target gets the same offered load (when it keeps up) and p99 compares service, not saturation
local pace = tonumber(os.getenv("PACE_MS") or "2")
function delay() return pace end
