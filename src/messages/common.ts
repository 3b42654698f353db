export const common = {
  temporarilyUnavailable:
    'Something on our side is briefly unavailable. Nothing was changed; please try again in a minute.',
  contactSupport: 'If this keeps happening, ask in the support channel.',
} as const;
