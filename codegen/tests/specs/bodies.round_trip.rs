//! Round trip for `bodies.yaml`: a multipart upload, an optional JSON body, and 201, 202 and
//! 204 responses, against a loopback mock server. Run inside the generated crate by the
//! `generated_crates` test.

use bodies::models::{CreateThingRequest, UploadProfileImageRequest};
use bodies::{Clerk, Error, FilePart, Nullable};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_and_client() -> (MockServer, Clerk) {
    let server = MockServer::start().await;
    let inner = Clerk::builder()
        .server_url(server.uri())
        .retries(bodies::RetryConfig::none())
        .build()
        .expect("builds");
    (server, inner)
}

#[tokio::test]
async fn multipart_upload_sends_each_part_and_decodes_201() {
    let (server, clerk) = server_and_client().await;
    Mock::given(method("POST"))
        .and(path("/users/user_1/profile_image"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "img_1"})))
        .mount(&server)
        .await;
    let file = FilePart::new(b"\x89PNG data".to_vec()).file_name("me.png").content_type("image/png");
    let thing = clerk
        .users()
        .upload_profile_image("user_1", UploadProfileImageRequest::new(file).uploader_user_id("user_2"))
        .await
        .expect("uploads");
    assert_eq!(thing.id, "img_1");

    let request = &server.received_requests().await.expect("recorded")[0];
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart");
    let body = String::from_utf8_lossy(&request.body);
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n\u{FFFD}PNG data\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"uploader_user_id\"\r\n\r\nuser_2\r\n--{boundary}--\r\n"
    );
    assert_eq!(body, expected);
}

#[tokio::test]
async fn optional_body_fields_and_several_success_statuses() {
    let (server, clerk) = server_and_client().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "t_1", "name": "a"})))
        .mount(&server)
        .await;
    let thing = clerk
        .things()
        .create_thing(CreateThingRequest::new().name("a").note(Nullable::Null))
        .await
        .expect("201 decodes");
    assert_eq!(thing.name.as_deref(), Some("a"));
    let sent: serde_json::Value = server.received_requests().await.expect("recorded")[0].body_json().expect("JSON");
    assert_eq!(sent, json!({"name": "a", "note": null}));
}

#[tokio::test]
async fn no_content_202_and_errors_without_a_body() {
    let (server, clerk) = server_and_client().await;
    Mock::given(method("DELETE"))
        .and(path("/things/t_1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"id": "t_1"})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/things/t_locked"))
        .respond_with(ResponseTemplate::new(423))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/things/t_gone"))
        .respond_with(
            ResponseTemplate::new(410).set_body_json(json!({
                "errors": [{"message": "gone", "long_message": "The thing is gone.", "code": "gone"}],
                "clerk_trace_id": "tr_410"
            })),
        )
        .mount(&server)
        .await;

    clerk.things().delete_thing("t_1").await.expect("204 is ()");
    assert_eq!(clerk.things().queue_thing("t_1").await.expect("202").id, "t_1");
    let locked = clerk.things().delete_thing("t_locked").await.expect_err("423");
    assert!(matches!(&locked, Error::UnexpectedStatus(e) if e.status() == 423), "{locked:?}");
    let gone = clerk.things().delete_thing("t_gone").await.expect_err("410");
    assert!(matches!(&gone, Error::Api(e) if e.status() == 410), "{gone:?}");
    assert_eq!(gone.clerk_trace_id(), Some("tr_410"));
}

#[tokio::test]
async fn the_mock_of_a_crate_of_its_own_is_scripted_with_every_expectation_method() {
    use bodies::models::{ClerkErrors, ClerkErrorsErrorsItem, Thing};
    let mock = bodies::testing::MockClerk::start().await;
    let conflict = ClerkErrors::new(vec![ClerkErrorsErrorsItem::new().code("conflict")]);
    mock.things()
        .create_thing()
        .body(CreateThingRequest::new().name("lamp"))
        .fails(409, conflict)
        .times(1)
        .returns(Thing::new("thing_lamp"));
    mock.things()
        .create_thing()
        .body_where("named desk", |body| body.name.as_deref() == Some("desk"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "thing_desk"})));
    mock.things().delete_thing().thing_id("t_locked").status(423);
    mock.things().delete_thing().thing_id("t_kept").never();
    mock.things()
        .create_thing()
        .body_where("named chair", |body| body.name.as_deref() == Some("chair"))
        .returns_with(|request| Thing::new(format!("thing_{}", request.body.name.as_deref().unwrap_or_default())));
    let clerk = mock.clerk();

    let chair = clerk.things().create_thing(CreateThingRequest::new().name("chair"));
    assert_eq!(chair.await.expect("computed from the request").id, "thing_chair");
    let lamp = || clerk.things().create_thing(CreateThingRequest::new().name("lamp"));
    let conflict = lamp().await.expect_err("the first answer is the error");
    assert!(matches!(&conflict, Error::Api(e) if e.status() == 409), "{conflict:?}");
    assert_eq!(lamp().await.expect("then the value").id, "thing_lamp");
    let desk = clerk.things().create_thing(CreateThingRequest::new().name("desk"));
    assert_eq!(desk.await.expect("the predicate matches").id, "thing_desk");
    let locked = clerk.things().delete_thing("t_locked").await.expect_err("423");
    assert!(matches!(&locked, Error::UnexpectedStatus(e) if e.status() == 423), "{locked:?}");
    let order: Vec<Option<&str>> = mock.requests().iter().map(|request| request.operation).collect();
    assert_eq!(order.len(), 5, "{order:?}");
    assert_eq!(order[4], Some("DeleteThing"));
    mock.verify();
}
