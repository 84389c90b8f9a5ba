//! Decoding a realistic PhoneNumber body the way every call does: the SDK's models and its
//! decode (strict first, lenient only when that fails) against the same body decoded into the
//! models as they were before lenient decoding ("today"), into plain `#[derive(Deserialize)]`
//! structs with closed enums, and against a drifted body. Prints the ratios.

mod support;

use std::hint::black_box;

use clerk_sdk::models::PhoneNumber;
use clerk_sdk::runtime::__private::decode_json_body;
use criterion::Criterion;
use support::{ADMIN, OTP, PlainPhoneNumber, drifted_phone_number_json, phone_number_json, print_ratio, today};

fn sdk(body: &str) {
    let decoded = decode_json_body::<PhoneNumber>(black_box(body.as_bytes()), false).expect("decodes");
    black_box(decoded);
}

fn before(body: &str) {
    black_box(serde_json::from_slice::<today::PhoneNumber>(black_box(body.as_bytes())).expect("decodes"));
}

fn plain(body: &str) {
    black_box(serde_json::from_slice::<PlainPhoneNumber>(black_box(body.as_bytes())).expect("decodes"));
}

fn decoding(c: &mut Criterion) {
    for (variant, verification) in [("otp", OTP), ("admin", ADMIN)] {
        let body = phone_number_json(verification, 10);
        let mut group = c.benchmark_group(format!("decode_{variant}"));
        group.bench_function("sdk", |b| b.iter(|| sdk(&body)));
        group.bench_function("today", |b| b.iter(|| before(&body)));
        group.bench_function("plain", |b| b.iter(|| plain(&body)));
        group.finish();
    }
    let drifted = drifted_phone_number_json(10);
    let mut group = c.benchmark_group("decode_drifted");
    group.bench_function("sdk", |b| b.iter(|| sdk(&drifted)));
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default()
        .output_directory(&support::criterion_dir())
        .configure_from_args();
    decoding(&mut criterion);
    criterion.final_summary();
    for variant in ["otp", "admin"] {
        print_ratio(
            &format!("decode {variant} (sdk / today)"),
            &format!("decode_{variant}/sdk"),
            &format!("decode_{variant}/today"),
        );
        print_ratio(
            &format!("decode {variant} (sdk / plain serde)"),
            &format!("decode_{variant}/sdk"),
            &format!("decode_{variant}/plain"),
        );
    }
    print_ratio("drifted / conforming (otp)", "decode_drifted/sdk", "decode_otp/sdk");
    // The same comparisons, robust to the machine's drift: alternating batches.
    for (variant, verification) in [("otp", OTP), ("admin", ADMIN)] {
        let body = phone_number_json(verification, 10);
        let ratio = support::interleaved_ratio(|| sdk(&body), || before(&body));
        println!("interleaved ratio decode {variant} (sdk / today): {ratio:.3}");
        let ratio = support::interleaved_ratio(|| sdk(&body), || plain(&body));
        println!("interleaved ratio decode {variant} (sdk / plain serde): {ratio:.3}");
    }
    let (body, drifted) = (phone_number_json(OTP, 10), drifted_phone_number_json(10));
    let ratio = support::interleaved_ratio(|| sdk(&drifted), || sdk(&body));
    println!("interleaved ratio drifted / conforming (otp, 3 deviations): {ratio:.3}");
}
