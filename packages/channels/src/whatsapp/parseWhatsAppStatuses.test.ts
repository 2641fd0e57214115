import { isCheckpointError } from '@checkpoint/core';
import { describe, expect, it } from 'vitest';
import { parseWhatsAppStatuses } from './parseWhatsAppStatuses.js';

function notification(...entries: Array<Array<Array<Record<string, unknown>>>>) {
  return {
    object: 'whatsapp_business_account',
    entry: entries.map((changes, index) => ({
      id: `waba-${index}`,
      changes: changes.map((statuses) => ({
        field: 'messages',
        value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1' }, statuses },
      })),
    })),
  };
}

const status = (id: string, value: string, extra: Record<string, unknown> = {}) => ({
  id,
  status: value,
  timestamp: '1763812800',
  recipient_id: '14155550123',
  ...extra,
});

describe('parseWhatsAppStatuses', () => {
  it('reads every status of every change of every entry, in order', () => {
    const receipts = parseWhatsAppStatuses(
      notification(
        [[status('wamid.A', 'sent'), status('wamid.B', 'delivered')], [status('wamid.C', 'read')]],
        [[status('wamid.A', 'delivered')]],
      ),
    );
    expect(receipts.map((r) => [r.providerMessageId, r.status])).toEqual([
      ['wamid.A', 'sent'],
      ['wamid.B', 'delivered'],
      ['wamid.C', 'read'],
      ['wamid.A', 'delivered'],
    ]);
  });

  it('gives core receipts with the verification id, recipient and time Meta sent', () => {
    const [receipt] = parseWhatsAppStatuses(
      notification([[status('wamid.A', 'delivered', { biz_opaque_callback_data: 'vf_123' })]]),
    );
    expect(receipt).toEqual({
      channel: 'whatsapp',
      providerMessageId: 'wamid.A',
      status: 'delivered',
      verificationId: 'vf_123',
      recipientId: '14155550123',
      timestamp: 1763812800,
    });
  });

  it('carries the error code of a failed message', () => {
    const [receipt] = parseWhatsAppStatuses(
      notification([
        [
          status('wamid.A', 'failed', {
            errors: [{ code: 131026, title: 'Message undeliverable' }],
          }),
        ],
      ]),
      { channel: 'wa' },
    );
    expect(receipt).toMatchObject({ channel: 'wa', status: 'failed', errorCode: '131026' });
  });

  it('skips statuses Checkpoint has no state for and malformed items', () => {
    const receipts = parseWhatsAppStatuses(
      notification([
        [
          status('wamid.A', 'deleted'),
          status('', 'sent'),
          { status: 'sent' },
          'junk' as never,
          status('wamid.B', 'toString'),
        ],
      ]),
    );
    expect(receipts).toEqual([]);
  });

  it('gives nothing for notifications without statuses (inbound messages)', () => {
    expect(
      parseWhatsAppStatuses({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              { field: 'messages', value: { messages: [{ from: '1', text: { body: 'hi' } }] } },
            ],
          },
        ],
      }),
    ).toEqual([]);
    expect(parseWhatsAppStatuses({ object: 'whatsapp_business_account' })).toEqual([]);
  });

  it('refuses a payload that is not a WhatsApp Business Account notification', () => {
    for (const payload of [null, [], 'x', { object: 'page', entry: [] }]) {
      let error: unknown;
      try {
        parseWhatsAppStatuses(payload);
      } catch (caught) {
        error = caught;
      }
      expect(isCheckpointError(error) && error.code).toBe('invalid_request');
    }
  });
});
