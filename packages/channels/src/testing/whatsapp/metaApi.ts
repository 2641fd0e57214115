import { randomBytes } from 'node:crypto';
import type { FakeFault } from '../FakeFault.js';
import type { HttpReply } from '../startHttpServer.js';

/** A template message the fake WhatsApp accepted. */
export interface FakeWhatsAppMessage {
  /** The `wamid.…` it answered with. */
  id: string;
  /** Recipient, digits as posted. */
  to: string;
  template: { name: string; language: string; components: unknown[] };
  /** `biz_opaque_callback_data`, when sent. */
  bizOpaqueCallbackData?: string;
  /** The JSON body as posted. */
  body: Record<string, unknown>;
}

const RECIPIENT = /^\+?[1-9]\d{6,14}$/;

/** @internal Meta's Graph API error body: `{ error: { message, type, code, … } }`. */
export function metaError(
  status: number,
  code: number,
  message: string,
  {
    type = 'OAuthException',
    subcode,
    details,
  }: { type?: string; subcode?: number; details?: string } = {},
): HttpReply {
  return {
    status,
    body: {
      error: {
        message: `(#${code}) ${message}`,
        type,
        code,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        ...(details === undefined
          ? {}
          : { error_data: { messaging_product: 'whatsapp', details } }),
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
  };
}

const UNDELIVERABLE = { details: 'Message Undeliverable.' };

/** @internal The answer the Cloud API gives for a named fault. */
export function metaFault(fault: FakeFault): HttpReply | 'hang' {
  switch (fault) {
    case 'timeout':
      return 'hang';
    case 'server_error':
      return metaError(500, 131000, 'Something went wrong', { details: 'Something went wrong.' });
    case 'unavailable':
      return metaError(503, 2, 'Service temporarily unavailable');
    case 'invalid_number':
    case 'not_mobile':
      return metaError(400, 131026, 'Message undeliverable', UNDELIVERABLE);
    case 'unauthorized':
      return metaError(401, 190, 'Error validating access token: Session has expired', {
        subcode: 463,
      });
    case 'bad_request':
      return metaError(400, 132001, 'Template name does not exist in the translation', {
        details: 'template name (login_code) does not exist in en_US',
      });
    case 'rate_limited':
      return metaError(429, 130429, 'Rate limit hit', {
        details: 'Cloud API message throughput has been reached.',
      });
    default:
      return fault;
  }
}

/** @internal Sends a template message from a posted body, as the messages endpoint does. */
export function createMessage(raw: Buffer): { reply: HttpReply; message?: FakeWhatsAppMessage } {
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new TypeError();
    body = parsed as Record<string, unknown>;
  } catch {
    return { reply: metaError(400, 100, 'Invalid parameter') };
  }
  if (body.messaging_product !== 'whatsapp') {
    return { reply: metaError(400, 100, 'The parameter messaging_product is required.') };
  }
  const to = body.to;
  if (typeof to !== 'string' || to === '') {
    return { reply: metaError(400, 100, 'The parameter to is required.') };
  }
  if (!RECIPIENT.test(to)) {
    return { reply: metaError(400, 131026, 'Message undeliverable', UNDELIVERABLE) };
  }
  const template = body.template as
    | { name?: unknown; language?: { code?: unknown }; components?: unknown }
    | undefined;
  if (
    body.type !== 'template' ||
    typeof template?.name !== 'string' ||
    typeof template.language?.code !== 'string'
  ) {
    return {
      reply: metaError(400, 131008, 'Required parameter is missing', {
        details: 'template name and language code are required',
      }),
    };
  }
  const components = Array.isArray(template.components) ? (template.components as unknown[]) : [];
  const problem = authenticationTemplateProblem(components);
  if (problem !== undefined) {
    return {
      reply: metaError(
        400,
        132000,
        'Number of parameters does not match the expected number of params',
        {
          details: problem,
        },
      ),
    };
  }
  const opaque = body.biz_opaque_callback_data;
  const message: FakeWhatsAppMessage = {
    id: `wamid.${randomBytes(30).toString('base64').replace(/=+$/, '')}`,
    to,
    template: { name: template.name, language: template.language.code, components },
    body,
    ...(typeof opaque === 'string' ? { bizOpaqueCallbackData: opaque } : {}),
  };
  return {
    message,
    reply: {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
        messages: [{ id: message.id, message_status: 'accepted' }],
      },
    },
  };
}

/** What an authentication template with a copy-code button lacks, or undefined. */
function authenticationTemplateProblem(components: unknown[]): string | undefined {
  const find = (type: string) =>
    components.find(
      (item) =>
        typeof item === 'object' && item !== null && (item as { type?: unknown }).type === type,
    ) as { sub_type?: unknown; index?: unknown; parameters?: unknown } | undefined;
  const textOf = (component: { parameters?: unknown } | undefined): string | undefined => {
    const parameters = component?.parameters;
    if (!Array.isArray(parameters) || parameters.length !== 1) return undefined;
    const [first] = parameters as Array<{ type?: unknown; text?: unknown }>;
    return first?.type === 'text' && typeof first.text === 'string' ? first.text : undefined;
  };
  const body = textOf(find('body'));
  const button = find('button');
  if (body === undefined) return 'body: expected one text parameter, the code';
  if (button?.sub_type !== 'url' || String(button.index) !== '0') {
    return 'button: expected the url button at index 0';
  }
  if (textOf(button) !== body)
    return 'button: expected one text parameter, the same code as the body';
  if (body.length > 15) return 'the code is longer than 15 characters';
  return undefined;
}
