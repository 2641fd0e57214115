/** What the app's webhook receiver answered to a callback a fake provider sent. */
export interface CallbackResponse {
  status: number;
  body: string;
  headers: Headers;
}

/** @internal POSTs a callback the way a provider would (no redirects followed, 5 s timeout). */
export async function postCallback(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  method: 'POST' | 'GET' = 'POST',
): Promise<CallbackResponse> {
  const response = await fetch(url, {
    method,
    headers,
    ...(method === 'POST' ? { body } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(5_000),
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}
