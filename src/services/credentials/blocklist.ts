/**
 * Common passwords: the `passwords-common` list of @zxcvbn-ts/language-common (~49k entries,
 * from leaked-password corpora). The package decompresses its lists when imported, so the
 * import waits until the first check and happens once per process.
 */
let loading: Promise<ReadonlySet<string>> | undefined;

export function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  loading ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase())),
    (error: unknown) => {
      // Forget the failure so the next check tries again instead of failing forever.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Case-insensitive: "PASSWORD1" is as guessable as "password1". */
export async function isCommonPassword(password: string): Promise<boolean> {
  const list = await loadCommonPasswords();
  return list.has(password.toLowerCase());
}
