/**
 * Starter lexicons for common conduct risks. They are examples to adapt to the firm and the matter
 * (stored with `example` set and named "Example: …"), not a vetted compliance standard.
 */
export interface StarterLexicon {
  name: string;
  description: string;
  terms: string[];
}

export const STARTER_LEXICONS: readonly StarterLexicon[] = [
  {
    name: 'Example: Off-channel moves',
    description: 'Moving a conversation to an unmonitored channel or off the record.',
    terms: [
      '(call OR text OR message OR ping) w/4 (signal OR telegram OR whatsapp OR wickr OR "personal phone" OR "my cell")',
      '"take this offline"', '"take it offline"', '"not on this chat"', '"switch to signal"', '"disappearing messages"',
    ],
  },
  {
    name: 'Example: Deleting records',
    description: 'Requests to delete or not to keep messages.',
    terms: ['(delete OR erase OR wipe OR remove) w/3 (this OR message* OR chat OR thread OR texts)', '"don\'t put this in writing"', '"no paper trail"'],
  },
  {
    name: 'Example: Guarantees',
    description: 'Promises of returns or outcomes a firm may not make.',
    terms: ['guarantee*', '"can\'t lose"', '"risk free"', '"sure thing"', '(promise OR assure) w/5 (return* OR profit*)'],
  },
  {
    name: 'Example: Gifts and entertainment',
    description: 'Gifts, tickets and hospitality that may need pre-approval or reporting.',
    terms: ['(gift* OR tickets OR hamper OR voucher*) w/6 (client* OR you OR your)', '"on me"', '"my treat"', '"courtside"'],
  },
];
