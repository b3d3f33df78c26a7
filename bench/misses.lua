-- wrk script: every request a key never asked before (a miss at every tier), 1 KiB objects.
-- MISS_RUN names the run so that keys of an earlier run are not hits in a cache that survived it.
local run = os.getenv("MISS_RUN") or tostring(os.time())
local counter = 0
function setup(thread)
  thread:set("id", tostring(math.random(1, 1000000000)))
end
function request()
  counter = counter + 1
  return wrk.format("GET", "/obj/1k/miss-" .. run .. "-" .. id .. "-" .. counter)
end
