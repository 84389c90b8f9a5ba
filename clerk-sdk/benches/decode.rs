//! Decoding a realistic PhoneNumber: the SDK's models (open enums, an open tagged union)
//! against plain `#[derive(Deserialize)]` structs with closed enums. Prints the ratio.

mod support;

use std::hint::black_box;

use clerk_sdk::models::PhoneNumber;
use criterion::Criterion;
use support::{ADMIN, OTP, PlainPhoneNumber, phone_number_json, print_ratio};

fn decoding(c: &mut Criterion) {
    for (variant, verification) in [("otp", OTP), ("admin", ADMIN)] {
        let body = phone_number_json(verification, 10);
        let mut group = c.benchmark_group(format!("decode_{variant}"));
        group.bench_function("sdk", |b| {
            b.iter(|| serde_json::from_str::<PhoneNumber>(black_box(&body)).expect("decodes"))
        });
        group.bench_function("plain", |b| {
            b.iter(|| serde_json::from_str::<PlainPhoneNumber>(black_box(&body)).expect("decodes"))
        });
        group.finish();
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .output_directory(&support::criterion_dir())
        .configure_from_args();
    decoding(&mut criterion);
    criterion.final_summary();
    for variant in ["otp", "admin"] {
        print_ratio(
            &format!("decode {variant} (sdk / plain serde)"),
            &format!("decode_{variant}/sdk"),
            &format!("decode_{variant}/plain"),
        );
    }
    // The same comparison, robust to the machine's drift: alternating batches.
    for (variant, verification) in [("otp", OTP), ("admin", ADMIN)] {
        let body = phone_number_json(verification, 10);
        let ratio = support::interleaved_ratio(
            || drop(black_box(serde_json::from_str::<PhoneNumber>(black_box(&body)))),
            || drop(black_box(serde_json::from_str::<PlainPhoneNumber>(black_box(&body)))),
        );
        println!("interleaved ratio decode {variant} (sdk / plain serde): {ratio:.3}");
    }
}
