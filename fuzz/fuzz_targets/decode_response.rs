//! Fuzzes the response decoder: HTTP status + body bytes -> `Result<Vec<SkillRealtime>, Error>`.
//!
//! The first two bytes choose the status (mostly 200, so the body parser is exercised);
//! the rest is the body. The property: no input panics, and a success never holds a
//! non-finite or negative percentage.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let (status, body) = match input {
        [a, b, rest @ ..] => {
            let status = match a % 4 {
                0 => 100 + u16::from_le_bytes([*a, *b]) % 500,
                1 => [401, 403, 404, 503][usize::from(*b % 4)],
                _ => 200,
            };
            (status, rest)
        }
        _ => (200, input),
    };
    if let Ok(skills) = wolkvox::__private::decode_skills_response(status, body) {
        for skill in skills {
            for level in [
                skill.service_level_10seg,
                skill.service_level_20seg,
                skill.service_level_30seg,
                skill.by_abandon,
            ] {
                assert!(level.is_finite() && level >= 0.0);
            }
        }
    }
});
