import { httpHandler } from '../../shared/http/handler';
import { getPayment } from '../../shared/http/routes/payments';
import { paymentView } from '../../shared/http/paymentSteps';
import { notFound } from '../../shared/http/problem';

export const handler = httpHandler('getPayment', getPayment, async ({ params, deps }) => {
  const p = await deps.payments.get(params.id);
  if (!p) throw notFound(`Payment ${params.id}`);
  return { status: 200, body: paymentView(p) };
});
