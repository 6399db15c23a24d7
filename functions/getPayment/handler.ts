import { httpHandler } from '../../shared/http/handler';
import { paymentView } from '../../shared/http/paymentSteps';
import { notFound } from '../../shared/http/problem';

export const handler = httpHandler('getPayment', async ({ params, deps }) => {
  const p = await deps.payments.get(params.id);
  if (!p) throw notFound(`Payment ${params.id}`);
  return { status: 200, body: paymentView(p) };
});
