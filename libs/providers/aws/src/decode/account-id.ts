/**
 * An AWS account id: exactly 12 digits, leading zeros included ("The AWS
 * account ID is a 12-digit number":
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html).
 * A number is none: JSON numbers drop leading zeros and round large values.
 */
export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && /^\d{12}$/.test(value);
}

/** A value as an error message shows it: JSON, cut short. */
export function shown(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
