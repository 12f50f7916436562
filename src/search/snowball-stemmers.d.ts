// The package ships no types: the two functions Holdfast calls.
declare module 'snowball-stemmers' {
  export function algorithms(): string[];
  export function newStemmer(algorithm: string): { stem(word: string): string };
}
