//! Parsing of the free-text fields every area's forms share: one rule each.

use crate::error::FieldError;

/// The OpenAPI schema of an enum named by its variants' snake_case names
/// (`strum::VariantArray` and `strum::IntoStaticStr`): a string, one of them.
#[macro_export]
macro_rules! openapi_names {
    ($enum:ty) => {
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $enum {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let names = <Self as strum::VariantArray>::VARIANTS
                    .iter()
                    .map(|v| <&'static str>::from(*v));
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(names))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $enum {}
    };
}

/// `as_str` and `parse` for an enum named in URLs, forms and the database by
/// its variants' snake_case names (`strum::VariantArray` and
/// `strum::IntoStaticStr` with `serialize_all = "snake_case"`). With
/// `field = "…"`, also `FromStr` for that form field, whose message lists the
/// variants' `label`s.
#[macro_export]
macro_rules! named_variants {
    ($enum:ty) => {
        impl $enum {
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            pub fn parse(s: &str) -> Option<Self> {
                <Self as strum::VariantArray>::VARIANTS.iter().copied().find(|v| v.as_str() == s)
            }
        }

        $crate::openapi_names!($enum);

        impl $crate::fields::Choice for $enum {
            fn as_str(self) -> &'static str {
                self.into()
            }

            fn label(self) -> &'static str {
                <$enum>::label(self)
            }
        }
    };
    ($enum:ty, field = $field:literal) => {
        $crate::named_variants!($enum);

        impl std::str::FromStr for $enum {
            type Err = $crate::error::FieldError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s).ok_or_else(|| {
                    let labels = <Self as strum::VariantArray>::VARIANTS.iter().map(|v| v.label());
                    $crate::error::FieldError::new($field, $crate::fields::choose_one_of(labels))
                })
            }
        }
    };
}

/// One of a fixed set of values (a status, a priority…) as forms and URLs
/// name it and people read it; implemented by [`named_variants!`].
pub trait Choice: Copy + PartialEq + strum::VariantArray + Send + Sync + 'static {
    fn as_str(self) -> &'static str;
    fn label(self) -> &'static str;
}

/// "Choose A, B or C." for the labels of a choice.
pub fn choose_one_of<'a>(labels: impl Iterator<Item = &'a str>) -> String {
    let labels: Vec<&str> = labels.collect();
    match labels.split_last() {
        Some((last, [])) => format!("Choose {last}."),
        Some((last, rest)) => format!("Choose {} or {last}.", rest.join(", ")),
        None => "Choose a value.".to_owned(),
    }
}

/// A single-line field: trimmed, at most `max` characters, no control characters.
pub fn text_field(
    field: &str,
    raw: &str,
    max: usize,
    required: bool,
) -> Result<String, FieldError> {
    let value = raw.trim();
    if required && value.is_empty() {
        return Err(FieldError::new(field, "This field is required."));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(field, format!("Use at most {max} characters.")));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(field, "Remove the control characters."));
    }
    Ok(value.to_owned())
}

/// A multi-line field: trimmed, line breaks kept (as `\n`), at most `max` characters.
pub fn multiline_field(
    field: &str,
    raw: &str,
    max: usize,
    required: bool,
) -> Result<String, FieldError> {
    let value = raw.trim().replace("\r\n", "\n");
    if required && value.is_empty() {
        return Err(FieldError::new(field, "This field is required."));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(field, format!("Use at most {max} characters.")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new(field, "Remove the control characters."));
    }
    Ok(value)
}

/// The years a date anyone sends may fall in: wide enough for any real record,
/// narrow enough that date arithmetic on it can never overflow.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A `YYYY-MM-DD` day within [`YEARS`]; anything else is `None`.
pub fn parse_day(raw: &str) -> Option<chrono::NaiveDate> {
    let raw = raw.trim();
    // Exactly four digits of year: chrono would also take `+262142-12-31`.
    if raw.len() != 10 || !raw.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|day| YEARS.contains(&chrono::Datelike::year(day)))
}

pub const PHONE_MAX: usize = 32;

/// Phone numbers: digits with the usual separators, an optional leading `+`.
pub fn parse_phone(raw: &str) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let allowed = value.char_indices().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '/') || (c == '+' && i == 0)
    });
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(5..=20).contains(&digits) || value.chars().count() > PHONE_MAX {
        return Err(FieldError::new(
            "phone",
            "Enter a phone number: digits, spaces, ( ) - . and a leading +.",
        ));
    }
    Ok(value.to_owned())
}

/// A phone number's digits alone, as duplicates are matched by (the database's
/// `phone_digits` column holds the same).
pub fn phone_digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// An optional email address: empty is allowed, anything else must be valid.
pub fn optional_email(raw: &str) -> Result<Option<crate::auth::Email>, FieldError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        crate::auth::Email::parse("email", raw).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_outside_the_sane_years_are_refused() {
        assert!(parse_day("2026-03-08").is_some());
        assert!(parse_day(" 1900-01-01 ").is_some());
        for raw in [
            "+262142-12-31",
            "262142-12-31",
            "1899-12-31",
            "2201-01-01",
            "-0001-01-01",
            "2026-3-8",
            "2026-02-30",
        ] {
            assert_eq!(parse_day(raw), None, "{raw}");
        }
    }

    #[test]
    fn multiline_text_keeps_its_line_breaks() {
        assert_eq!(multiline_field("body", " a\r\nb ", 10, true), Ok("a\nb".to_owned()));
        assert!(multiline_field("body", "  ", 10, true).is_err());
        assert!(multiline_field("body", "a\u{0}b", 10, true).is_err());
        assert!(multiline_field("body", "abcdefghijk", 10, true).is_err());
    }
}
