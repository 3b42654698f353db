/** Sentences the flow engine's effects produce (field errors, page errors). */
export const engine = {
  sameAddress: 'That is already the address on your account. Enter a different one.',
  passwordsDiffer: 'The two passwords are not the same. Type the new password twice.',
  wrongCurrentPassword: (attemptsLeft: number) =>
    `The current password is not right. ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left before a pause.`,
  submissionPending: 'A submission is already waiting for review. You will hear the decision in Slack.',
} as const;
