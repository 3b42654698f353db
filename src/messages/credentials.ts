/**
 * Password refusals. Each sentence names the rule that failed and what to do next; none
 * repeats the password or says how close it came to an old one.
 */
export const credentials = {
  rules: {
    tooShort: (min: number) => `Length: your password is too short. Use at least ${min} characters.`,
    tooLong: (max: number) => `Length: your password is too long. Use at most ${max} characters.`,
    bytes: (maxBytes: number) =>
      `Length in bytes: passwords are stored in at most ${maxBytes} bytes, and letters outside basic Latin or emoji take 2 to 4 bytes each. Use fewer or plainer characters.`,
    letter: 'Letters: add at least one letter (a–z or A–Z).',
    digit: 'Digits: add at least one digit (0–9).',
    symbol: 'Symbols: add at least one symbol from a standard keyboard, such as . / _ ! or #.',
    spaces: 'Spaces: spaces are not allowed. Remove them.',
    asciiOnly:
      'Characters: use only letters, digits and symbols from a standard English keyboard. Remove accented letters, emoji and other characters.',
    printable:
      'Characters: your password contains invisible control characters such as tabs or line breaks. Remove them.',
    history: (count: number) =>
      count === 1
        ? 'Recent passwords: this is your current password. Choose a different one.'
        : `Recent passwords: this is one of your last ${count} passwords. Choose one you have not used recently.`,
    common:
      'Common passwords: this password appears on lists attackers try first. Choose something less predictable, such as several unrelated words.',
    loginEmail:
      'Login email: your password cannot be your login email or the part before the @. Choose something else.',
    context:
      'Names: your password cannot contain your name, a part of your email address, or the name of your organisation or its products. Choose something unrelated to you and your company.',
  },
} as const;
