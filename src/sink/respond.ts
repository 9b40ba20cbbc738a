/** The web `Response` of one of the intake's answers: sent by the web handler and by the node adapter's own refusals. */
import { answerHeaders, type Answer } from './intake';

export function toResponse(answer: Answer): Response {
  return new Response(answer.body === null ? null : JSON.stringify(answer.body), { status: answer.status, headers: answerHeaders(answer) });
}
