// Steps of the visitor and counsellor journeys, written with roles and labels as a person
// would find them (Dutch, the default language).

import { NextSignInCode } from './totp.mjs';

export async function VisitorOpensStartForm(page, origin) {
  await page.goto(`${origin}/`);
  await page.getByRole('button', { name: 'Start een chat' }).click();
  await page.getByRole('heading', { name: 'Voordat je begint' }).waitFor();
}

export async function VisitorStartsChat(page, origin, { nickname, subject = 'self' }) {
  await VisitorOpensStartForm(page, origin);
  await page.getByLabel('Hoe mogen we je noemen? (niet verplicht)').fill(nickname);
  const choice = subject === 'other' ? 'Over iemand die ik ken' : 'Over mezelf';
  await page.getByRole('radio', { name: choice }).check();
  await page.getByRole('button', { name: 'Chat starten' }).click();
  await page.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
}

// With the next code of the account's second factor (support/totp.mjs), as from the app.
export async function CounsellorSignsIn(page, origin, username, password) {
  await page.goto(`${origin}/console`);
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByLabel('Code uit je app', { exact: false }).fill(NextSignInCode(username));
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('heading', { name: 'Wachtrij' }).waitFor();
}

export async function CounsellorAccepts(page, nickname) {
  await page.getByRole('button', { name: `Gesprek met ${nickname} aannemen` }).click();
  await page.getByLabel(`Bericht aan ${nickname}`).waitFor();
}

// The counsellor ends the open conversation and confirms.
export async function CounsellorEnds(page) {
  await page.getByRole('button', { name: 'Gesprek beëindigen' }).click();
  await page.getByRole('button', { name: 'Ja, beëindigen' }).click();
}

// The counsellor completes the registration of the ended conversation with `name`: a young
// person, about `topic`, from `region` (if given), `involved` in crime ('Ja', 'Nee'), signals
// of exploitation unclear, not in danger, outcome advice.
export async function CounsellorRegisters(page, name, { topic = 'Schulden', involved = 'Ja', region = '' } = {}) {
  const form = page.getByRole('form', { name: `Registratie van het gesprek met ${name}` });
  await form.getByRole('group', { name: 'Wie is de bezoeker? (verplicht)' }).getByLabel('Jongere').check();
  await form.getByRole('group', { name: 'Onderwerpen (verplicht)' }).getByLabel(topic).check();
  if (region) await form.getByLabel('Gemeente (niet verplicht)').fill(region);
  for (const [group, choice] of [
    ['Betrokken bij criminaliteit (verplicht)', involved],
    ['Signalen van uitbuiting (verplicht)', 'Onduidelijk'],
    ['Is de bezoeker in gevaar (verplicht)', 'Nee'],
    ['Uitkomst (verplicht)', 'Advies'],
  ]) {
    await form.getByRole('group', { name: group }).getByLabel(choice, { exact: true }).check();
  }
  await form.getByRole('button', { name: 'Registratie afronden' }).click();
  await form.getByText('De registratie is afgerond.').waitFor();
}

export async function VisitorSays(page, text) {
  await page.getByLabel('Je bericht').fill(text);
  await page.getByRole('button', { name: 'Verstuur' }).click();
}

export async function CounsellorSays(page, nickname, text) {
  await page.getByLabel(`Bericht aan ${nickname}`).fill(text);
  await page.getByRole('button', { name: 'Verstuur' }).click();
}

// Waits until `text` shows as a message in the page's (single) message log.
export async function SeesMessage(page, text) {
  await page.getByRole('log').getByText(text, { exact: true }).waitFor();
}

// How many things the tab keeps in sessionStorage, apart from the mark that its visit was
// counted (web/visitor/session.js).
export async function KeptInTab(page) {
  return page.evaluate(() => Object.keys(sessionStorage).filter((key) => key !== 'uitweg.visited').length);
}
