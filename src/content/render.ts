/** The only values a message may ask for; each ward fills them in from its own settings. */
export const PLACEHOLDERS = ['ward_name', 'police_phone', 'police_address', 'office_hours', 'tip_form_url'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

/** Longest value each placeholder may take, to prove that every message still fits a platform's limit. */
export const PLACEHOLDER_MAX_LENGTH: Record<Placeholder, number> = {
  ward_name: 60,
  police_phone: 60,
  police_address: 60,
  office_hours: 60,
  tip_form_url: 100,
};

/** `{{ name }}`, spaces inside the braces allowed. */
export const PLACEHOLDER_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/** Fills in the known placeholders; anything else is left as written (the content check rejects it beforehand). */
export function renderText(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER_PATTERN, (whole, name: string) => (isPlaceholder(name) ? values[name] : whole));
}
