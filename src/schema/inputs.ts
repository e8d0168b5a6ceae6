import { badInput } from './input-errors.ts';

/**
 * The ids a caller sends, checked at the schema's edge before anything reads them: a length, a
 * form, and well-formed Unicode (a lone surrogate cannot be encoded into an upstream path). A
 * refused id is bad input naming its argument, never an upstream call or a masked failure.
 */

interface IdForm {
  /** What the argument must be, for the message. */
  expected: string;
  test(value: string): boolean;
}

const noControlCharacters = /^[^\p{Cc}]*$/u;
/** In a `u` regex a surrogate pair is one code point; only a lone surrogate is `Cs`. */
const loneSurrogate = /\p{Cs}/u;

export const idForms = {
  ledgerId: { expected: 'an upstream ledger id: 1 to 64 letters, digits or dashes', test: (value) => /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(value) },
  pspReference: { expected: 'a pspReference: 1 to 128 visible ASCII characters', test: (value) => /^[\x21-\x7e]{1,128}$/.test(value) },
  reference: {
    expected: 'an order reference: 1 to 256 characters, no control characters',
    test: (value) => value.length >= 1 && value.length <= 256 && value.trim() !== '' && noControlCharacters.test(value),
  },
  recipientHandle: { expected: 'a recipient handle such as `NO:123456` or `api:123456`', test: (value) => /^[A-Za-z]{2,8}:[A-Za-z0-9]{1,32}$/.test(value) },
  globalId: { expected: 'a global id of this API (take one from an `id` field)', test: (value) => value.length >= 1 && value.length <= 512 },
} satisfies Record<string, IdForm>;

/** At most this much of a refused value is quoted back. */
const quotedChars = 64;

function quoted(value: string): string {
  const shown = value.length > quotedChars ? `${value.slice(0, quotedChars)}…` : value;
  // JSON escapes control characters and lone surrogates, so the message itself stays well formed.
  return `${JSON.stringify(shown)}${value.length > quotedChars ? ` (${value.length} characters)` : ''}`;
}

/** The value when it has the form; bad input naming `argument` when not. */
export function checkedId(argument: string, value: string, form: IdForm): string {
  if (loneSurrogate.test(value) || !form.test(value)) throw badInput(argument, `must be ${form.expected}; got ${quoted(value)}`);
  return value;
}
