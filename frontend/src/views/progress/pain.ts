/** The 0-10 numeric rating scale for pain, in the words the slider announces. */
export const PAIN_WORDS: readonly string[] = [
  'no pain',
  'very mild pain',
  'mild pain',
  'uncomfortable pain',
  'moderate pain',
  'distracting pain',
  'distressing pain',
  'intense pain',
  'severe pain',
  'very severe pain',
  'worst pain imaginable',
];

/** "3: uncomfortable pain", what a screen reader says as the slider moves. */
export function painValueText(value: number): string {
  const clamped = Math.min(10, Math.max(0, Math.round(value)));
  return `${clamped}: ${PAIN_WORDS[clamped]}`;
}
