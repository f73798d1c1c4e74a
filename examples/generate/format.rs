//! Formatting without allocation.

use crate::DAY;
use crate::output::Casing;
pub fn push_text(line: &mut Vec<u8>, text: &str, casing: Casing) {
    let start = line.len();
    match casing {
        Casing::AsIs => line.extend_from_slice(text.as_bytes()),
        Casing::Capitalized => {
            line.extend_from_slice(text.as_bytes());
            line[start] = line[start].to_ascii_uppercase();
        }
        Casing::Upper => line.extend(text.bytes().map(|b| b.to_ascii_uppercase())),
        Casing::Padded => {
            line.push(b' ');
            line.extend_from_slice(text.as_bytes());
            line.push(b' ');
        }
    }
}

fn push_uint(line: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    line.extend_from_slice(&digits[i..]);
}

pub fn push_int(line: &mut Vec<u8>, n: i64) {
    if n < 0 {
        line.push(b'-');
    }
    push_uint(line, n.unsigned_abs());
}

pub fn push_hundredths(line: &mut Vec<u8>, n: i16) {
    if n < 0 {
        line.push(b'-');
    }
    let n = n.unsigned_abs();
    push_uint(line, u64::from(n / 100));
    line.push(b'.');
    push_two(line, u32::from(n % 100));
}

fn push_two(line: &mut Vec<u8>, n: u32) {
    line.push(b'0' + (n / 10) as u8);
    line.push(b'0' + (n % 10) as u8);
}

/// `T000042`: at least six digits, so ids sort well in small exports.
pub fn push_ticket_id(line: &mut Vec<u8>, n: u32) {
    line.push(b'T');
    let mut width = 1;
    while width < 6 && n < 10u32.pow(6 - width) {
        line.push(b'0');
        width += 1;
    }
    push_uint(line, u64::from(n));
}

/// `2026-03-01T09:15:02Z`.
pub fn push_timestamp(line: &mut Vec<u8>, ts: i64) {
    let (year, month, day) = civil_from_days(ts.div_euclid(DAY));
    let secs = ts.rem_euclid(DAY) as u32;
    push_uint(line, year.max(0) as u64);
    line.push(b'-');
    push_two(line, month);
    line.push(b'-');
    push_two(line, day);
    line.push(b'T');
    push_two(line, secs / 3600);
    line.push(b':');
    push_two(line, secs / 60 % 60);
    line.push(b':');
    push_two(line, secs % 60);
    line.push(b'Z');
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
