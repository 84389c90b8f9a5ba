//! `has()`: whether a verified session may do something, by its organization role and
//! permissions, its features and plans, and how recently it verified a factor. As
//! `@clerk/shared`'s `authorization.ts` decides it since it fails closed (GHSA-w24r-5266-9c3c):
//! every condition asked must pass, at least one must be asked, and a claim a condition needs
//! that is missing or malformed denies.

use serde_json::{Value, json};

use super::SessionClaims;

/// How strongly a session must have verified a factor lately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerificationLevel {
    /// A first factor (a password, a code by email).
    FirstFactor,
    /// A second factor, or the first where the user has none.
    SecondFactor,
    /// Both factors, or the first where the user has no second one.
    MultiFactor,
}

impl VerificationLevel {
    fn as_str(self) -> &'static str {
        match self {
            VerificationLevel::FirstFactor => "first_factor",
            VerificationLevel::SecondFactor => "second_factor",
            VerificationLevel::MultiFactor => "multi_factor",
        }
    }
}

/// How recently the session must have verified a factor, read from its `fva` claim (the
/// minutes since the first and the second factor were last verified, `-1` for a factor the
/// user has none of). Clerk's presets, and any level and age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reverification {
    /// Both factors within 10 minutes (`strict_mfa`).
    StrictMfa,
    /// The second factor within 10 minutes (`strict`).
    Strict,
    /// The second factor within 60 minutes (`moderate`).
    Moderate,
    /// The second factor within a day, 1,440 minutes (`lax`).
    Lax,
    /// `level` within `after_minutes` minutes; an age of `0` is never met.
    Within {
        /// The factors that must be fresh.
        level: VerificationLevel,
        /// How many minutes old they may be, at most (exclusive).
        after_minutes: u32,
    },
}

impl Reverification {
    /// The level and the age in minutes the requirement means.
    pub fn requirement(self) -> (VerificationLevel, u32) {
        match self {
            Reverification::StrictMfa => (VerificationLevel::MultiFactor, 10),
            Reverification::Strict => (VerificationLevel::SecondFactor, 10),
            Reverification::Moderate => (VerificationLevel::SecondFactor, 60),
            Reverification::Lax => (VerificationLevel::SecondFactor, 1_440),
            Reverification::Within { level, after_minutes } => (level, after_minutes),
        }
    }

    /// The requirement as Clerk's frontends read it in a `reverification-error`: a preset's
    /// name, or `{"level", "afterMinutes"}`.
    pub fn to_json(self) -> Value {
        match self {
            Reverification::StrictMfa => json!("strict_mfa"),
            Reverification::Strict => json!("strict"),
            Reverification::Moderate => json!("moderate"),
            Reverification::Lax => json!("lax"),
            Reverification::Within { level, after_minutes } => {
                json!({"level": level.as_str(), "afterMinutes": after_minutes})
            }
        }
    }
}

/// What a session must have: each condition set must hold, and a check with none denies.
///
/// ```
/// use clerk_sdk::auth::{Check, Reverification};
///
/// let check = Check::new()
///     .permission("org:invoices:create")
///     .reverification(Reverification::Strict);
/// # let _ = check;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct Check {
    role: Option<String>,
    permission: Option<String>,
    feature: Option<String>,
    plan: Option<String>,
    reverification: Option<Reverification>,
}

impl Check {
    /// A check with no condition yet (which denies).
    pub fn new() -> Self {
        Check::default()
    }

    /// The role in the active organization, with or without its `org:` prefix (`admin` is
    /// `org:admin`).
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// A permission in the active organization, with or without its `org:` prefix
    /// (`org:invoices:create`).
    pub fn permission(mut self, permission: impl Into<String>) -> Self {
        self.permission = Some(permission.into());
        self
    }

    /// A feature of the user's or the organization's plan: `o:name` (the organization's),
    /// `u:name` (the user's), or `name` (either).
    pub fn feature(mut self, feature: impl Into<String>) -> Self {
        self.feature = Some(feature.into());
        self
    }

    /// A plan, scoped as a [feature](Self::feature) is.
    pub fn plan(mut self, plan: impl Into<String>) -> Self {
        self.plan = Some(plan.into());
        self
    }

    /// How recently a factor must have been verified.
    pub fn reverification(mut self, reverification: Reverification) -> Self {
        self.reverification = Some(reverification);
        self
    }
}

/// Why a [`Check`] denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Denied {
    /// The check has no condition: nothing was asked, so nothing is allowed.
    NothingAsked,
    /// The session has no user, or the token is not a session's (a machine token has no
    /// roles, permissions, features or plans).
    NotASession,
    /// The organization role or permission does not hold, or the session has no active
    /// organization.
    Organization,
    /// The feature or plan does not hold, or the claims that list them are missing or
    /// malformed.
    Billing,
    /// No factor was verified recently enough, or `fva` is missing or malformed: ask the user
    /// to verify again.
    Reverification(Reverification),
}

/// One dimension's verdict: asked and met, asked and not met, or not asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Pass,
    Fail,
    Skip,
}

impl SessionClaims {
    /// Whether the session meets every condition of `check` (see [`Check`]).
    pub fn has(&self, check: &Check) -> bool {
        self.authorize(check).is_ok()
    }

    /// Whether the session meets every condition of `check`, and if not, the first that failed
    /// (organization, then billing, then reverification).
    ///
    /// # Errors
    ///
    /// The [`Denied`] reason.
    pub fn authorize(&self, check: &Check) -> Result<(), Denied> {
        if self.sub.is_empty() {
            return Err(Denied::NotASession);
        }
        let verdicts = [
            (organization(self, check), Denied::Organization),
            (billing(self, check), Denied::Billing),
            (
                reverification(self.get("fva"), check.reverification),
                Denied::Reverification(check.reverification.unwrap_or(Reverification::Strict)),
            ),
        ];
        if let Some((_, denied)) = verdicts.iter().find(|(verdict, _)| *verdict == Verdict::Fail) {
            return Err(*denied);
        }
        if verdicts.iter().all(|(verdict, _)| *verdict == Verdict::Skip) {
            return Err(Denied::NothingAsked);
        }
        Ok(())
    }
}

/// `value` with exactly one `org:` prefix: `admin`, `org:admin` and `org:org:admin` are all
/// `org:admin`.
fn with_org_prefix(value: &str) -> String {
    let mut rest = value;
    while let Some(stripped) = rest.strip_prefix("org:") {
        rest = stripped;
    }
    format!("org:{rest}")
}

/// The role and permission conditions, on the active organization.
fn organization(claims: &SessionClaims, check: &Check) -> Verdict {
    if check.role.is_none() && check.permission.is_none() {
        return Verdict::Skip;
    }
    let Some(org) = claims.org.as_ref().filter(|org| !org.id.is_empty()) else {
        return Verdict::Fail;
    };
    if let Some(role) = &check.role {
        match &org.role {
            Some(held) if !held.is_empty() && with_org_prefix(held) == with_org_prefix(role) => {}
            _ => return Verdict::Fail,
        }
    }
    if let Some(permission) = &check.permission
        && !org.permissions.contains(&with_org_prefix(permission))
    {
        return Verdict::Fail;
    }
    Verdict::Pass
}

/// The feature and plan conditions, on `fea` and `pla`.
fn billing(claims: &SessionClaims, check: &Check) -> Verdict {
    if check.feature.is_none() && check.plan.is_none() {
        return Verdict::Skip;
    }
    let holds = |claim: &str, wanted: &Option<String>| match wanted {
        None => true,
        Some(wanted) => {
            let held = claims.get(claim).and_then(Value::as_str).unwrap_or_default();
            entitled(held, wanted).unwrap_or(false)
        }
    };
    match holds("fea", &check.feature) && holds("pla", &check.plan) {
        true => Verdict::Pass,
        false => Verdict::Fail,
    }
}

/// Whether the comma-separated `scope:name` list `held` grants `wanted` (`o:name`, `u:name`
/// or `name`); `None` for a list or a request that is malformed.
fn entitled(held: &str, wanted: &str) -> Option<bool> {
    if held.trim().is_empty() {
        return None;
    }
    let (mut org, mut user) = (Vec::new(), Vec::new());
    for part in held.split(',').map(str::trim) {
        let (scope, name) = part.split_once(':')?;
        match scope {
            "o" => org.push(name),
            "u" => user.push(name),
            "ou" | "uo" => {
                org.push(name);
                user.push(name);
            }
            _ => {}
        }
    }
    let (scope, name) = match wanted.split_once(':') {
        Some((scope, name)) => (Some(scope), name),
        None => (None, wanted),
    };
    if name.is_empty() || name.contains(':') {
        return None;
    }
    Some(match scope {
        Some("o" | "org" | "organization") => org.contains(&name),
        Some("u" | "user") => user.contains(&name),
        Some(_) => return None,
        None => org.contains(&name) || user.contains(&name),
    })
}

/// The reverification condition, on `fva`: `[first factor age, second factor age]` in
/// minutes, each `-1` where the user has no such factor.
fn reverification(fva: Option<&Value>, wanted: Option<Reverification>) -> Verdict {
    let Some(wanted) = wanted else {
        return Verdict::Skip;
    };
    let Some((first, second)) = factor_ages(fva) else {
        return Verdict::Fail;
    };
    let (level, after_minutes) = wanted.requirement();
    if after_minutes == 0 || (first.is_none() && second.is_none()) {
        return Verdict::Fail;
    }
    let fresh = |age: Option<f64>| age.is_some_and(|age| f64::from(after_minutes) > age);
    let met = match (level, second) {
        (VerificationLevel::FirstFactor, _) => fresh(first),
        // No second factor: the first one stands in for it.
        (VerificationLevel::SecondFactor | VerificationLevel::MultiFactor, None) => fresh(first),
        (VerificationLevel::SecondFactor, Some(_)) if first.is_none() => fresh(second),
        (VerificationLevel::SecondFactor, Some(_)) => fresh(second),
        (VerificationLevel::MultiFactor, Some(_)) => first.is_some() && fresh(first) && fresh(second),
    };
    if met { Verdict::Pass } else { Verdict::Fail }
}

/// The two ages of a well-formed `fva`, `None` standing for `-1`; `None` for a claim that is
/// missing or is not two finite numbers, each `-1` or at least `0`.
fn factor_ages(fva: Option<&Value>) -> Option<(Option<f64>, Option<f64>)> {
    let [first, second] = fva?.as_array()?.as_slice() else {
        return None;
    };
    let age = |value: &Value| -> Option<Option<f64>> {
        let age = value.as_f64().filter(|age| age.is_finite())?;
        if age == -1.0 {
            Some(None)
        } else {
            (age >= 0.0).then_some(Some(age))
        }
    };
    Some((age(first)?, age(second)?))
}

#[cfg(test)]
mod tests;
