import { httpHandler } from '../../shared/http/handler';
import { paymentView } from '../../shared/http/paymentProblems';
import { notFound } from '../../shared/http/problem';
import { getPayment } from '../../shared/http/routes/payments';
import { settlePayment } from '../../shared/payments/settle';

/** One payment batch. A batch that died half way is settled first (rolled forward if it completed, back once its lease ran out). */
export const handler = httpHandler('getPayment', getPayment, async ({ params, deps }) => {
  const p = await deps.payments.get(params.id, true);
  if (!p) throw notFound('payment', params.id);
  return { status: 200, body: paymentView(await settlePayment(deps, p, deps.clock.now())) };
});
