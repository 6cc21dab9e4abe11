-- wrk script: POSTs each of the N body files $BODIES/1 .. $BODIES/N exactly once to $PATH_ with a bearer token.
-- Thread k of the K wrk threads (one connection each) sends bodies k, k+K, k+2K, ...; each next body once the
-- previous answer is in. Every answer must have status $STATUS. When a thread has its last answer it prints
--   DONE <first send, ns> <last answer, ns> <answers> <failures>
-- (CLOCK_MONOTONIC, through LuaJIT's FFI: wrk's own clock is not visible to scripts) and stops; the caller
-- (testsupport.WrkPost) stops wrk once every thread has reported.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } wrk_timespec;
int clock_gettime(int clk_id, wrk_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("wrk_timespec")
local function now_ns()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000000 + tonumber(ts.tv_nsec)
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local bodies = {}
local headers = {}
local status = 0
local answered, failures = 0, 0
local first_send, last_answer = 0, 0

function init(args)
  local k = tonumber(os.getenv("THREADS"))
  local n = tonumber(os.getenv("N"))
  for b = id, n, k do
    local f = assert(io.open(os.getenv("BODIES") .. "/" .. b, "rb"))
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
  headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  headers["Content-Type"] = "application/json"
  status = tonumber(os.getenv("STATUS"))
end

function request()
  if first_send == 0 then
    first_send = now_ns()
  end
  -- The next body is the one after those answered: wrk may ask for a request it then does not send (one
  -- connection per thread, no pipelining), and an unanswered body is sent again on a new connection. Past this
  -- thread's share (not expected: the loop stops at its last answer) an empty array, refused without a write.
  return wrk.format("POST", os.getenv("PATH_"), headers, bodies[answered + 1] or "[]")
end

function response(code, hdrs, body)
  answered = answered + 1
  if code ~= status then
    failures = failures + 1
    io.stderr:write("FAILED " .. code .. " " .. string.sub(body, 1, 300) .. "\n")
  end
  if answered == #bodies then
    last_answer = now_ns()
    io.stderr:write(string.format("DONE %d %d %d %d\n", first_send, last_answer, answered, failures))
    io.stderr:flush()
    wrk.thread:stop()
  end
end
