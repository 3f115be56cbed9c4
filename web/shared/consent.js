// What the bodies of consent entries say, for the visitor's page and the console alike: a
// request is "ID:NAME" (the organisation), an answer "yes:SEQ" or "no:SEQ" (the request's seq).

export function ConsentOrganisation(body) {
  return body.slice(body.indexOf(':') + 1);
}

// {answer: 'yes'|'no', seq}.
export function ConsentAnswer(body) {
  const [answer, seq] = body.split(':');
  return { answer, seq: Number(seq) };
}
