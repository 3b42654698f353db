export const common = {
  temporarilyUnavailable:
    'Something on our side is briefly unavailable. Nothing was changed; please try again in a minute.',
  somethingWentWrong:
    'Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, ask in the support channel.',
  recordDamaged:
    'Something is wrong with your account record, so I cannot continue. Nothing was changed, and support has been told; they will contact you.',
  contactSupport: 'If this keeps happening, ask in the support channel.',
  /**
   * Any refusal only support can resolve. One sentence for all of them, so a refusal never
   * tells why (e.g. that a document number is registered to another account).
   */
  needsSupport:
    'We cannot accept this here. Please ask in the support channel; an agent will look at it with you.',
} as const;
