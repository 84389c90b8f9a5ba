//! Security: the spec's schemes become named credentials on the client's builder, and each
//! operation's requirements become alternatives of scheme indexes the runtime chooses from.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};

use super::refs::resolve;
use crate::error::{Error, Pointer};
use crate::model::{KeyLocation, SchemeKind, SecuritySchemeDef};
use crate::names::{Scope, has_word, snake_name};

/// The builder's own methods, which a scheme's setter must not replace; a scheme named like
/// one gets an `_auth` suffix (`timeout` becomes `timeout_auth`).
const RESERVED_SETTERS: &[&str] = &[
    "allow_insecure_http",
    "build",
    "build_blocking",
    "builder",
    "credential",
    "from_env",
    "hook",
    "http_client",
    "into_inner",
    "max_response_body",
    "new",
    "retries",
    "server_url",
    "timeout",
];

/// Every scheme of `components.securitySchemes`, in spec order, with a unique setter name.
pub(super) fn schemes(spec: &OpenAPI) -> Result<Vec<SecuritySchemeDef>, Error> {
    let Some(components) = &spec.components else {
        return Ok(Vec::new());
    };
    let section = Pointer::root().join("components").join("securitySchemes");
    let mut setters = Scope::with_reserved(RESERVED_SETTERS.iter().copied());
    let mut schemes = Vec::new();
    for (name, slot) in &components.security_schemes {
        let pointer = section.join(name);
        let scheme = match slot {
            ReferenceOr::Item(scheme) => scheme,
            ReferenceOr::Reference { reference } => resolve::<SecurityScheme>(spec, reference, &pointer)?.item,
        };
        if !has_word(name) {
            return Err(Error::unsupported(
                &pointer,
                "the scheme's name has no letter or digit to name its builder method after",
            ));
        }
        let (kind, doc) = scheme_kind(scheme, &pointer)?;
        let wanted = snake_name(name);
        let wanted = if setters.contains(crate::names::unraw(&wanted)) {
            format!("{}_auth", crate::names::unraw(&wanted))
        } else {
            wanted
        };
        schemes.push(SecuritySchemeDef {
            name: name.clone(),
            setter: setters.claim(&wanted),
            doc: doc.clone(),
            kind,
        });
    }
    Ok(schemes)
}

/// How a scheme's credential is sent, and the scheme's description.
fn scheme_kind<'s>(scheme: &'s SecurityScheme, pointer: &Pointer) -> Result<(SchemeKind, &'s Option<String>), Error> {
    match scheme {
        SecurityScheme::HTTP {
            scheme: http,
            description,
            ..
        } => match http.to_ascii_lowercase().as_str() {
            "bearer" => Ok((SchemeKind::Bearer, description)),
            "basic" => Ok((SchemeKind::Basic, description)),
            other => Err(Error::unsupported(
                &pointer.join("scheme"),
                format!("HTTP authentication scheme `{other}` is not supported; `bearer` and `basic` are"),
            )),
        },
        SecurityScheme::APIKey {
            location,
            name,
            description,
            ..
        } => {
            let location = match location {
                APIKeyLocation::Header => KeyLocation::Header,
                APIKeyLocation::Query => KeyLocation::Query,
                APIKeyLocation::Cookie => KeyLocation::Cookie,
            };
            check_wire_name(name, location, &pointer.join("name"))?;
            Ok((
                SchemeKind::ApiKey {
                    location,
                    name: name.clone(),
                },
                description,
            ))
        }
        // Both end in an access token sent as a bearer token; getting the token (the OAuth
        // flow) is the application's business.
        SecurityScheme::OAuth2 { description, .. } | SecurityScheme::OpenIDConnect { description, .. } => {
            Ok((SchemeKind::Bearer, description))
        }
    }
}

/// Checks that a header or cookie name can be sent: an RFC 9110 token (visible ASCII except
/// separators). Query names are percent-encoded, so any name will do.
pub(super) fn check_wire_name(name: &str, location: KeyLocation, pointer: &Pointer) -> Result<(), Error> {
    let is_token = !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte));
    match location {
        KeyLocation::Query => Ok(()),
        KeyLocation::Header | KeyLocation::Cookie if is_token => Ok(()),
        KeyLocation::Header => Err(Error::unsupported(
            pointer,
            format!("`{name}` is not a valid header name"),
        )),
        KeyLocation::Cookie => Err(Error::unsupported(
            pointer,
            format!("`{name}` is not a valid cookie name"),
        )),
    }
}

/// An operation's requirements as scheme indexes: its own `security`, or the spec's when it has
/// none. `pointer` is where the requirements are written.
pub(super) fn requirements(
    requirements: Option<&[SecurityRequirement]>,
    schemes: &[SecuritySchemeDef],
    pointer: &Pointer,
) -> Result<Vec<Vec<usize>>, Error> {
    let Some(requirements) = requirements else {
        return Ok(Vec::new());
    };
    requirements
        .iter()
        .enumerate()
        .map(|(i, requirement)| {
            requirement
                .keys()
                .map(|name| {
                    schemes.iter().position(|scheme| &scheme.name == name).ok_or_else(|| {
                        Error::unsupported(
                            &pointer.join(i.to_string()),
                            format!("security scheme `{name}` is not defined in #/components/securitySchemes"),
                        )
                    })
                })
                .collect()
        })
        .collect()
}

/// The schemes a client cannot do without: those in every alternative of every operation that
/// needs credentials. None if any operation makes credentials optional or has an alternative
/// without them, or if no operation needs any.
pub(super) fn required<'o>(operations: impl IntoIterator<Item = &'o [Vec<usize>]>) -> Vec<usize> {
    let mut required: Option<Vec<usize>> = None;
    for alternatives in operations {
        if alternatives.is_empty() {
            continue;
        }
        for alternative in alternatives {
            let kept = required.get_or_insert_with(|| alternative.clone());
            kept.retain(|index| alternative.contains(index));
        }
    }
    required.unwrap_or_default()
}

/// The scheme `from_env` fills from `CLERK_SECRET_KEY`: the only required scheme, if it is a
/// bearer token, as the Backend API's secret key is.
pub(super) fn env_scheme(required: &[usize], schemes: &[SecuritySchemeDef]) -> Option<usize> {
    match required {
        [only]
            if schemes
                .get(*only)
                .is_some_and(|scheme| scheme.kind == SchemeKind::Bearer) =>
        {
            Some(*only)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(schemes: &str) -> OpenAPI {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  securitySchemes:\n{schemes}"
        );
        serde_yaml::from_str(&text).expect("a spec")
    }

    #[test]
    fn every_kind_becomes_a_named_setter() {
        let spec = spec(
            "    bearerAuth: {type: http, scheme: Bearer}\n    ClientCredentials: {type: http, scheme: basic}\n    DevBrowser: {type: apiKey, in: query, name: __dev_session}\n    Browser: {type: apiKey, in: cookie, name: __client}\n    Key: {type: apiKey, in: header, name: X-Api-Key}\n    OAuth: {type: oauth2, flows: {}}\n    timeout: {$ref: '#/components/securitySchemes/bearerAuth'}\n",
        );
        let schemes = schemes(&spec).expect("lowers");
        let summary: Vec<(&str, &SchemeKind)> = schemes.iter().map(|s| (s.setter.as_str(), &s.kind)).collect();
        let key = |location, name: &str| SchemeKind::ApiKey {
            location,
            name: name.to_owned(),
        };
        assert_eq!(
            summary,
            [
                ("bearer_auth", &SchemeKind::Bearer),
                ("client_credentials", &SchemeKind::Basic),
                ("dev_browser", &key(KeyLocation::Query, "__dev_session")),
                ("browser", &key(KeyLocation::Cookie, "__client")),
                ("key", &key(KeyLocation::Header, "X-Api-Key")),
                ("o_auth", &SchemeKind::Bearer),
                ("timeout_auth", &SchemeKind::Bearer),
            ]
        );
    }

    #[test]
    fn unsupported_schemes_are_located() {
        let error = |yaml: &str| schemes(&spec(yaml)).err().map(|e| e.to_string());
        assert_eq!(
            error("    Digest: {type: http, scheme: digest}\n").as_deref(),
            Some(
                "#/components/securitySchemes/Digest/scheme: HTTP authentication scheme `digest` is not supported; `bearer` and `basic` are"
            )
        );
        assert_eq!(
            error("    Key: {type: apiKey, in: header, name: 'X Key'}\n").as_deref(),
            Some("#/components/securitySchemes/Key/name: `X Key` is not a valid header name")
        );
    }

    #[test]
    fn requirements_become_indexes_and_unknown_schemes_are_located() {
        let schemes = schemes(&spec(
            "    A: {type: http, scheme: bearer}\n    B: {type: apiKey, in: query, name: b}\n",
        ))
        .expect("lowers");
        let parsed: Vec<SecurityRequirement> =
            serde_yaml::from_str("[{}, {A: []}, {B: [], A: []}]").expect("requirements");
        let pointer = Pointer::root().join("security");
        assert_eq!(
            requirements(Some(&parsed), &schemes, &pointer).expect("known"),
            [vec![], vec![0], vec![1, 0]]
        );
        assert_eq!(
            requirements(None, &schemes, &pointer).expect("none"),
            Vec::<Vec<usize>>::new()
        );
        let unknown: Vec<SecurityRequirement> = serde_yaml::from_str("[{A: []}, {C: []}]").expect("requirements");
        assert_eq!(
            requirements(Some(&unknown), &schemes, &pointer).map_err(|e| e.to_string()),
            Err("#/security/1: security scheme `C` is not defined in #/components/securitySchemes".to_owned())
        );
    }

    #[test]
    fn required_schemes_are_in_every_alternative_of_every_operation() {
        let ops = |list: &[&[&[usize]]]| -> Vec<Vec<Vec<usize>>> {
            list.iter()
                .map(|alts| alts.iter().map(|a| a.to_vec()).collect())
                .collect()
        };
        let required_of = |list: Vec<Vec<Vec<usize>>>| required(list.iter().map(Vec::as_slice));
        // Public operations (`security: []`) do not make the key optional for the others.
        assert_eq!(required_of(ops(&[&[&[0]], &[], &[&[0, 1]]])), [0]);
        // An optional alternative, or a choice between schemes, requires nothing.
        assert_eq!(required_of(ops(&[&[&[0]], &[&[], &[0]]])), Vec::<usize>::new());
        assert_eq!(required_of(ops(&[&[&[0]], &[&[1]]])), Vec::<usize>::new());
        assert_eq!(required_of(ops(&[&[]])), Vec::<usize>::new());
    }
}
