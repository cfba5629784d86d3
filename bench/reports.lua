-- wrk script: "Report a problem" POSTs, each from its own forwarded address
-- (the site allows a few reports per address), as bench/feedback.py sends
-- them. Used by bench/pages.py: wrk -s bench/reports.lua URL
local body = "page=%2Ffr%2Frelations%2Fetats-unis%2F&problems=outdated&problems=missing"
  .. "&comment=Le+num%C3%A9ro+613-555-0100+ne+r%C3%A9pond+plus%3B+%C3%A9crivez"
  .. "+%C3%A0+a%40b.ca"
local threads = 0

function setup(thread)
  thread:set("number", threads)
  threads = threads + 1
end

function init(args)
  sent = 0
end

function request()
  sent = sent + 1
  -- 10.x.y.z, a different address for every report of every thread.
  local n = number * 4194304 + sent
  local address = string.format(
    "10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256
  )
  return wrk.format("POST", "/fr/signaler-un-probleme/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = address,
  }, body)
end
