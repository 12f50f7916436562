/** A generated Outlook PST of a custodian's mail, her contacts, and the Teams chats Purview exports beside it. */
import { contactItem, writePst } from './pst-writer.ts';
import type { PstMessage } from './pst-writer.ts';

export const PDF = Buffer.from('%PDF-1.4\n% term sheet\n');
const ANN = { name: 'Ann Lee', email: 'ann@example.com' };
const BO = { name: 'Bo Chen', email: 'bo@example.com' };
const CY = { name: 'Cy Diaz', email: 'cy@example.com' };

const mail = (m: Partial<PstMessage> & Pick<PstMessage, 'submitTime'>): PstMessage => ({
  messageClass: 'IPM.Note', senderName: ANN.name, senderEmail: ANN.email, recipients: [], ...m,
});
const teams = (m: Partial<PstMessage> & Pick<PstMessage, 'submitTime' | 'conversationTopic'>): PstMessage => ({
  messageClass: 'IPM.SkypeTeams.Message', senderName: ANN.name, senderEmail: ANN.email, recipients: [], ...m,
});

export function samplePst(): Buffer {
  return writePst('Ann Lee (custodian)', [
    { name: 'Inbox', containerClass: 'IPF.Note', messages: [
      mail({ subject: 'Term sheet', body: 'Attached, final.\r\nAnn', submitTime: new Date('2024-03-04T10:00:00Z'), conversationTopic: 'Term sheet',
        internetMessageId: '<ts-1@example.com>', recipients: [{ ...BO, type: 1 }, { ...CY, type: 2 }, { name: 'Legal', email: 'legal@example.com', type: 3 }],
        attachments: [{ name: 'term sheet.pdf', data: PDF, mime: 'application/pdf' }] }),
      mail({ subject: 'RE: Term sheet', body: 'Looks good', senderName: BO.name, senderEmail: BO.email, submitTime: new Date('2024-03-04T11:30:00Z'),
        conversationTopic: 'Term sheet', internetMessageId: '<ts-2@example.com>', inReplyTo: '<ts-1@example.com>', recipients: [{ ...ANN, type: 1 }] }),
      { messageClass: 'IPM.Appointment', senderName: '', senderEmail: '', submitTime: new Date('2024-01-01T00:00:00Z'), recipients: [], subject: 'Closing call' },
    ] },
    { name: 'TeamsMessagesData', messages: [
      teams({ body: 'hi Bo', submitTime: new Date('2024-03-05T09:00:00Z'), conversationTopic: '19:ann_bo@unq.gbl.spaces', recipients: [{ ...BO, type: 1 }] }),
      teams({ body: 'hi Ann 👋', senderName: BO.name, senderEmail: BO.email, submitTime: new Date('2024-03-05T09:01:00Z'), conversationTopic: '19:ann_bo@unq.gbl.spaces',
        recipients: [{ ...ANN, type: 1 }] }),
      teams({ body: 'deal team kickoff', submitTime: new Date('2024-03-06T08:00:00Z'), conversationTopic: '19:deal@thread.v2', recipients: [{ ...BO, type: 1 }, { ...CY, type: 1 }],
        attachments: [{ name: 'agenda.txt', data: Buffer.from('1. price\n'), mime: 'text/plain' }] }),
      teams({ subject: 'Q1 pricing', body: 'posted in General', senderName: CY.name, senderEmail: CY.email, submitTime: new Date('2024-03-07T08:00:00Z'),
        conversationTopic: '19:general@thread.tacv2', recipients: [{ name: 'Deal Team', email: 'dealteam@example.com', type: 1 }] }),
    ] },
    { name: 'Contacts', containerClass: 'IPF.Contact', messages: [
      contactItem({ name: 'Bo Chen', givenName: 'Bo', surname: 'Chen', emails: [BO.email, 'bo.chen@home.example'], mobile: '07700 900123', business: '+44 20 7946 0123' }),
      contactItem({ name: 'Cy Diaz', emails: [CY.email] }),
    ] },
  ]);
}
