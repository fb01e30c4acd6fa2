//! The keys of a (host, token) in Redis and the Lua scripts that change them.
//!
//! Every script reads the Redis server's own clock (`TIME`), so the clocks of the processes do
//! not matter for leases. Each runs atomically: a slot is taken, renewed or given back in one
//! step, with the day's count when it is taken.
//!
//! Keys (the digest in braces is a hash tag: all keys of one token are in one cluster slot):
//!
//! | key | type | holds | expires |
//! |---|---|---|---|
//! | `{prefix}:{id}:slots` | sorted set | lease id -> expiry (ms, server clock) | 2 x (lease + waiter life) after its last change |
//! | `{prefix}:{id}:queue` | sorted set | waiter id -> arrival (µs, server clock) | same |
//! | `{prefix}:{id}:alive` | sorted set | waiter id -> when it counts as gone (ms) | same |
//! | `{prefix}:{id}:count:{YYYY-MM-DD}` | string | requests counted on the day | one day after the day ends |

use redis::Script;

use crate::limits::{Day, Scope};

/// The names of the keys of one scope.
#[derive(Debug)]
pub(super) struct Keys {
    /// The scope's id (the digest).
    pub(super) id: String,
    pub(super) slots: String,
    pub(super) queue: String,
    pub(super) alive: String,
    /// Everything of the count's key but the date.
    count_prefix: String,
}

impl Keys {
    pub(super) fn new(prefix: &str, scope: &Scope) -> Keys {
        let base = format!("{prefix}:{{{}}}", scope.id());
        Keys {
            id: scope.id().to_owned(),
            slots: format!("{base}:slots"),
            queue: format!("{base}:queue"),
            alive: format!("{base}:alive"),
            count_prefix: format!("{base}:count:"),
        }
    }

    /// The key of the count of `day`.
    pub(super) fn count(&self, day: &Day) -> String {
        format!("{}{}", self.count_prefix, day.date())
    }
}

/// When the count of `day` expires: one day after the day ends (in ms since the epoch), so a
/// process whose clock lags a little still finds it, and nothing is left behind.
pub(super) fn count_expiry_ms(day: &Day) -> i64 {
    day.ends_at().as_millisecond().saturating_add(86_400_000)
}

/// The four scripts, hashed once (`EVALSHA`, with `EVAL` when the server does not know them,
/// e.g. after a restart).
#[derive(Debug)]
pub(super) struct Scripts {
    pub(super) take: Script,
    pub(super) leave: Script,
    pub(super) renew: Script,
    pub(super) raise: Script,
}

impl Scripts {
    pub(super) fn new() -> Self {
        Scripts {
            take: Script::new(TAKE),
            leave: Script::new(LEAVE),
            renew: Script::new(RENEW),
            raise: Script::new(RAISE),
        }
    }
}

/// Takes a slot for `id`, or queues it.
///
/// KEYS: slots, queue, alive, count. ARGV: id, limit, lease ms, waiter life ms, budget (-1:
/// none), count expiry (ms since the epoch), requests to add first (counted during an outage),
/// housekeeping expiry ms, the lowest the count may be (this process's own count: it restores
/// a count Redis lost in a restart without persistence).
///
/// Answers `{status, used, n, free}`: status 1 = granted (`n`: others still waiting), 0 = wait
/// (`n`: rank in the queue, `free`: free slots), 2 = the budget is used up (`id` left the queue).
///
/// A slot `id` already holds (a lease kept between two requests of one process) is renewed
/// only while nobody else waits; otherwise it is given back and `id` queues like anyone, so a
/// process cannot keep a slot from the others.
const TAKE: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local limit = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local life = tonumber(ARGV[4])
local budget = tonumber(ARGV[5])
local extra = tonumber(ARGV[7])
local keep = tonumber(ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for i = 1, #gone do redis.call('ZREM', KEYS[2], gone[i]) end
if #gone > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now) end
if extra > 0 then redis.call('INCRBY', KEYS[4], extra) end
local used = tonumber(redis.call('GET', KEYS[4]) or '0')
local at_least = tonumber(ARGV[9])
if used < at_least then
  redis.call('SET', KEYS[4], at_least)
  used = at_least
end
if extra > 0 or used == at_least and used > 0 then redis.call('PEXPIREAT', KEYS[4], ARGV[6]) end
local function tidy()
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], keep) end
end
local function grant(waiting)
  redis.call('ZADD', KEYS[1], now + lease, id)
  used = redis.call('INCR', KEYS[4])
  redis.call('PEXPIREAT', KEYS[4], ARGV[6])
  tidy()
  return {1, used, waiting, 0}
end
if budget >= 0 and used >= budget then
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  return {2, used, 0, 0}
end
local queued = redis.call('ZSCORE', KEYS[2], id)
local others = redis.call('ZCARD', KEYS[2])
if queued then others = others - 1 end
if redis.call('ZSCORE', KEYS[1], id) then
  if others == 0 then return grant(0) end
  redis.call('ZREM', KEYS[1], id)
end
if not queued then
  redis.call('ZADD', KEYS[2], t[1] .. string.format('%06d', tonumber(t[2])), id)
end
redis.call('ZADD', KEYS[3], now + life, id)
local free = limit - redis.call('ZCARD', KEYS[1])
local rank = redis.call('ZRANK', KEYS[2], id)
if rank < free then
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  return grant(redis.call('ZCARD', KEYS[2]))
end
tidy()
return {0, used, rank, free}
";

/// Gives back the slot of `id`, or takes it out of the queue. KEYS: slots, queue, alive.
/// ARGV: id.
const LEAVE: &str = r"
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 0
";

/// Renews the leases of the ids still held. KEYS: slots. ARGV: lease ms, housekeeping expiry
/// ms, ids. Answers how many were no longer held (expired: lost).
const RENEW: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local lost = 0
for i = 3, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
  else
    lost = lost + 1
  end
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return lost
";

/// Raises the count to at least ARGV[1]. KEYS: count. ARGV: at least, count expiry (ms since
/// the epoch), requests to add first. Answers the count.
const RAISE: &str = r"
local extra = tonumber(ARGV[3])
if extra > 0 then redis.call('INCRBY', KEYS[1], extra) end
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local at_least = tonumber(ARGV[1])
if used < at_least then
  redis.call('SET', KEYS[1], at_least)
  used = at_least
end
if used > 0 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
return used
";
