// Every string the pages show, Dutch first (the default), English second.
// t(key, params) looks a key up in the current language; `{name}` placeholders are filled from
// params. The choice of language lives in sessionStorage only (no cookies, no localStorage), so
// quick exit forgets it too. Static markup names its strings with data-i18n attributes:
//   data-i18n="key"                      -> textContent
//   data-i18n-attr="aria-label:key;..."  -> attributes

export const kLanguageStorageKey = 'uitweg.lang';
export const kLanguages = ['nl', 'en'];

const kStrings = {
  nl: {
    'brand': 'Uitweg',
    'lang.switch': 'English',
    'lang.switchLabel': 'Switch to English',
    'lang.switchLang': 'en',

    'exit.button': 'Verlaat deze pagina',
    'exit.hint': 'Of druk 3 keer snel op Shift.',

    'conn.connecting': 'Verbinding maken…',
    'conn.online': 'Verbonden',
    'conn.offline': 'Geen verbinding. We proberen het opnieuw…',

    'msg.pending': 'wordt verzonden…',
    'msg.failed': 'niet verzonden',
    'msg.you': 'Jij',
    'msg.counsellor': 'Hulpverlener',

    'visitor.title': 'Uitweg – praat anoniem met een hulpverlener',
    'visitor.tagline': 'Praat anoniem met een hulpverlener',
    'visitor.what':
      'Word je gedwongen of overgehaald om dingen te doen voor anderen, zoals drugs vervoeren, ' +
      'je bankpas uitlenen of iets ophalen in de haven? Of maak je je zorgen om iemand die je kent? ' +
      'Bij Uitweg chat je met een getrainde hulpverlener die luistert, meedenkt en je verder helpt.',
    'visitor.anonHeading': 'Anoniem',
    'visitor.anon':
      'Je hebt geen account nodig en je hoeft je naam niet te noemen. We slaan je IP-adres niet op ' +
      'en gebruiken geen cookies.',
    'visitor.hoursHeading': 'Openingstijden',
    'visitor.hours': 'Maandag tot en met vrijdag van 14.00 tot 22.00 uur.',
    'visitor.start': 'Start een chat',
    'visitor.safetyLink': 'Veilig gebruik en snel weggaan',

    'form.heading': 'Voordat je begint',
    'form.nickname': 'Hoe mogen we je noemen? (niet verplicht)',
    'form.nicknameHint': 'Gebruik liever niet je echte naam.',
    'form.subject': 'Gaat het over jezelf of over iemand die je kent?',
    'form.self': 'Over mezelf',
    'form.other': 'Over iemand die ik ken',
    'form.submit': 'Chat starten',
    'form.back': 'Terug',
    'form.error': 'Het starten lukte niet. Probeer het zo nog eens.',
    'form.rateLimited': 'Te veel pogingen. Probeer het over een paar minuten opnieuw.',

    'waiting.heading': 'Je bent in de wachtrij',
    'waiting.position': 'Je bent nummer {n} in de wachtrij.',
    'waiting.unknown': 'Je staat in de wachtrij.',
    'waiting.text': 'Een hulpverlener komt zo bij je. Je kunt alvast een bericht typen.',

    'chat.heading': 'Chat met een hulpverlener',
    'chat.log': 'Berichten',
    'chat.input': 'Je bericht',
    'chat.send': 'Verstuur',
    'chat.end': 'Chat beëindigen',
    'chat.accepted': '{name} is er nu voor je.',
    'chat.endedByVisitor': 'Je hebt het gesprek beëindigd.',
    'chat.endedByCounsellor': 'De hulpverlener heeft het gesprek beëindigd.',
    'chat.endedBySystem': 'Het gesprek is beëindigd.',
    'chat.lost': 'Dit gesprek kon niet worden hervat. Je kunt een nieuwe chat starten.',
    'chat.tooLong': 'Je bericht is te lang (hoogstens 4000 tekens).',

    'ended.heading': 'Het gesprek is beëindigd',
    'ended.text': 'Bedankt voor je vertrouwen. Je kunt altijd een nieuw gesprek beginnen.',
    'ended.new': 'Start een nieuwe chat',

    'safety.title': 'Uitweg – veilig gebruik',
    'safety.heading': 'Veilig gebruik en snel weggaan',
    'safety.exitHeading': 'Wat doet "Verlaat deze pagina"?',
    'safety.exitDoes':
      'De knop bovenaan elke pagina, of 3 keer snel op Shift drukken, maakt de pagina meteen leeg, ' +
      'wist wat Uitweg in dit tabblad heeft bewaard (ook de sleutel om je gesprek te hervatten) en ' +
      'opent een gewone zoekmachine in plaats van deze pagina.',
    'safety.notHeading': 'Wat het niet verbergt',
    'safety.notHistory':
      'Eerdere pagina\'s van Uitweg die je in dit tabblad hebt bekeken, blijven in de geschiedenis ' +
      'van je browser staan en zijn met de knop Terug te zien.',
    'safety.notOtherTabs': 'Andere tabbladen of vensters met Uitweg blijven open.',
    'safety.notDevice':
      'Je browsergeschiedenis, een gedeeld apparaat, software die meekijkt of iemand die over je ' +
      'schouder kijkt.',
    'safety.tipsHeading': 'Tips',
    'safety.tipPrivate':
      'Gebruik een privévenster (incognito). Dan bewaart je browser niets als je het venster sluit.',
    'safety.tipHistory': 'Wis je browsergeschiedenis als je geen privévenster gebruikt.',
    'safety.tipDevice': 'Chat liever op een apparaat dat alleen van jou is.',
    'safety.back': 'Terug naar Uitweg',

    'console.title': 'Uitweg – console',
    'console.heading': 'Uitweg console',
    'signin.heading': 'Inloggen',
    'signin.username': 'Gebruikersnaam',
    'signin.password': 'Wachtwoord',
    'signin.submit': 'Inloggen',
    'signin.busy': 'Bezig met inloggen…',
    'signin.wrong': 'Gebruikersnaam of wachtwoord klopt niet.',
    'signin.rateLimited': 'Te veel pogingen. Probeer het later opnieuw.',
    'signin.failed': 'Inloggen lukte niet. Probeer het opnieuw.',
    'console.signedInAs': 'Ingelogd als {name}',
    'console.signOut': 'Uitloggen',
    'queue.heading': 'Wachtrij',
    'queue.empty': 'Niemand wacht op dit moment.',
    'queue.accept': 'Aannemen',
    'queue.acceptLabel': 'Gesprek met {name} aannemen',
    'queue.waiting': 'wacht {time}',
    'queue.urgent': 'Urgent',
    'queue.taken': 'Dit gesprek is al aangenomen.',
    'subject.self': 'over zichzelf',
    'subject.other': 'over iemand anders',
    'nickname.none': 'Anoniem',
    'chats.heading': 'Mijn gesprekken',
    'chats.none': 'Je hebt geen actieve gesprekken. Neem iemand aan uit de wachtrij.',
    'chats.ended': 'beëindigd',
    'chats.unread': '{n} nieuw',
    'chat.messagesWith': 'Berichten met {name}',
    'chat.inputFor': 'Bericht aan {name}',
    'chat.endConversation': 'Gesprek beëindigen',
    'chat.close': 'Sluiten',
    'chat.visitorEnded': 'De bezoeker heeft het gesprek beëindigd.',
    'chat.youEnded': 'Je hebt het gesprek beëindigd.',
    'chat.acceptedBy': '{name} heeft het gesprek aangenomen.',
    'error.permission': 'Dat mag je niet doen.',
    'error.generic': 'Er ging iets mis. Probeer het opnieuw.',
    'time.seconds': '{s} s',
    'time.minutes': '{m} min {s} s',
    'time.hours': '{h} u {m} min',

    'setup.title': 'Uitweg – eerste beheerder',
    'setup.heading': 'Eerste beheerder instellen',
    'setup.intro': 'Kies een gebruikersnaam en wachtwoord voor het eerste beheerdersaccount.',
    'setup.username': 'Gebruikersnaam (3–40 tekens: a–z, 0–9, punt, streepje, liggend streepje)',
    'setup.password': 'Wachtwoord (minstens 10 tekens)',
    'setup.confirm': 'Herhaal het wachtwoord',
    'setup.submit': 'Account aanmaken',
    'setup.mismatch': 'De wachtwoorden zijn niet gelijk.',
    'setup.tooShort': 'Het wachtwoord moet minstens 10 tekens hebben.',
    'setup.badUsername': 'Gebruik 3 tot 40 tekens: kleine letters, cijfers, punt, - of _.',
    'setup.noToken': 'Deze link bevat geen geldige code. Gebruik de link die de server gaf.',
    'setup.wrongToken': 'De code in deze link klopt niet.',
    'setup.notNeeded': 'Er is al een beheerder. Log in via de console.',
    'setup.done': 'Het account {name} is aangemaakt.',
    'setup.toConsole': 'Naar de console',
  },
  en: {
    'brand': 'Uitweg',
    'lang.switch': 'Nederlands',
    'lang.switchLabel': 'Schakel naar Nederlands',
    'lang.switchLang': 'nl',

    'exit.button': 'Exit this page',
    'exit.hint': 'Or press Shift 3 times quickly.',

    'conn.connecting': 'Connecting…',
    'conn.online': 'Connected',
    'conn.offline': 'No connection. Trying again…',

    'msg.pending': 'sending…',
    'msg.failed': 'not sent',
    'msg.you': 'You',
    'msg.counsellor': 'Counsellor',

    'visitor.title': 'Uitweg – talk to a counsellor anonymously',
    'visitor.tagline': 'Talk to a counsellor anonymously',
    'visitor.what':
      'Are you being forced or talked into doing things for others, such as moving drugs, lending ' +
      'your bank card or picking something up at the port? Or are you worried about someone you ' +
      'know? At Uitweg you chat with a trained counsellor who listens, thinks along and helps you on.',
    'visitor.anonHeading': 'Anonymous',
    'visitor.anon':
      'You need no account and you do not have to give your name. We do not store your IP address ' +
      'and use no cookies.',
    'visitor.hoursHeading': 'Opening hours',
    'visitor.hours': 'Monday to Friday from 14:00 to 22:00.',
    'visitor.start': 'Start a chat',
    'visitor.safetyLink': 'Staying safe and leaving quickly',

    'form.heading': 'Before you start',
    'form.nickname': 'What may we call you? (optional)',
    'form.nicknameHint': 'Better not use your real name.',
    'form.subject': 'Is it about yourself or about someone you know?',
    'form.self': 'About myself',
    'form.other': 'About someone I know',
    'form.submit': 'Start chat',
    'form.back': 'Back',
    'form.error': 'Starting did not work. Please try again shortly.',
    'form.rateLimited': 'Too many attempts. Try again in a few minutes.',

    'waiting.heading': 'You are in the queue',
    'waiting.position': 'You are number {n} in the queue.',
    'waiting.unknown': 'You are in the queue.',
    'waiting.text': 'A counsellor will be with you soon. You can already type a message.',

    'chat.heading': 'Chat with a counsellor',
    'chat.log': 'Messages',
    'chat.input': 'Your message',
    'chat.send': 'Send',
    'chat.end': 'End chat',
    'chat.accepted': '{name} is here for you now.',
    'chat.endedByVisitor': 'You ended the conversation.',
    'chat.endedByCounsellor': 'The counsellor ended the conversation.',
    'chat.endedBySystem': 'The conversation has ended.',
    'chat.lost': 'This conversation could not be resumed. You can start a new chat.',
    'chat.tooLong': 'Your message is too long (4000 characters at most).',

    'ended.heading': 'The conversation has ended',
    'ended.text': 'Thank you for your trust. You can always start a new conversation.',
    'ended.new': 'Start a new chat',

    'safety.title': 'Uitweg – staying safe',
    'safety.heading': 'Staying safe and leaving quickly',
    'safety.exitHeading': 'What does "Exit this page" do?',
    'safety.exitDoes':
      'The button at the top of every page, or pressing Shift 3 times quickly, blanks the page at ' +
      'once, clears what Uitweg kept in this tab (including the key to resume your chat) and opens ' +
      'an ordinary search engine instead of this page.',
    'safety.notHeading': 'What it does not hide',
    'safety.notHistory':
      'Earlier Uitweg pages you viewed in this tab stay in your browser history and can be seen ' +
      'with the Back button.',
    'safety.notOtherTabs': 'Other tabs or windows with Uitweg stay open.',
    'safety.notDevice':
      'Your browsing history, a shared device, monitoring software or someone looking over your ' +
      'shoulder.',
    'safety.tipsHeading': 'Tips',
    'safety.tipPrivate':
      'Use a private (incognito) window. Your browser then keeps nothing once you close it.',
    'safety.tipHistory': 'Clear your browsing history if you do not use a private window.',
    'safety.tipDevice': 'Chat on a device that only you use, if you can.',
    'safety.back': 'Back to Uitweg',

    'console.title': 'Uitweg – console',
    'console.heading': 'Uitweg console',
    'signin.heading': 'Sign in',
    'signin.username': 'Username',
    'signin.password': 'Password',
    'signin.submit': 'Sign in',
    'signin.busy': 'Signing in…',
    'signin.wrong': 'Username or password is wrong.',
    'signin.rateLimited': 'Too many attempts. Try again later.',
    'signin.failed': 'Signing in did not work. Please try again.',
    'console.signedInAs': 'Signed in as {name}',
    'console.signOut': 'Sign out',
    'queue.heading': 'Queue',
    'queue.empty': 'Nobody is waiting right now.',
    'queue.accept': 'Accept',
    'queue.acceptLabel': 'Accept conversation with {name}',
    'queue.waiting': 'waiting {time}',
    'queue.urgent': 'Urgent',
    'queue.taken': 'This conversation was already accepted.',
    'subject.self': 'about themselves',
    'subject.other': 'about someone else',
    'nickname.none': 'Anonymous',
    'chats.heading': 'My conversations',
    'chats.none': 'You have no active conversations. Accept someone from the queue.',
    'chats.ended': 'ended',
    'chats.unread': '{n} new',
    'chat.messagesWith': 'Messages with {name}',
    'chat.inputFor': 'Message to {name}',
    'chat.endConversation': 'End conversation',
    'chat.close': 'Close',
    'chat.visitorEnded': 'The visitor ended the conversation.',
    'chat.youEnded': 'You ended the conversation.',
    'chat.acceptedBy': '{name} accepted the conversation.',
    'error.permission': 'You are not allowed to do that.',
    'error.generic': 'Something went wrong. Please try again.',
    'time.seconds': '{s} s',
    'time.minutes': '{m} min {s} s',
    'time.hours': '{h} h {m} min',

    'setup.title': 'Uitweg – first administrator',
    'setup.heading': 'Set up the first administrator',
    'setup.intro': 'Choose a username and password for the first administrator account.',
    'setup.username': 'Username (3–40 characters: a–z, 0–9, dot, hyphen, underscore)',
    'setup.password': 'Password (at least 10 characters)',
    'setup.confirm': 'Repeat the password',
    'setup.submit': 'Create account',
    'setup.mismatch': 'The passwords do not match.',
    'setup.tooShort': 'The password needs at least 10 characters.',
    'setup.badUsername': 'Use 3 to 40 characters: lower-case letters, digits, dot, - or _.',
    'setup.noToken': 'This link holds no valid code. Use the link the server printed.',
    'setup.wrongToken': 'The code in this link is wrong.',
    'setup.notNeeded': 'An administrator exists already. Sign in through the console.',
    'setup.done': 'The account {name} was created.',
    'setup.toConsole': 'Go to the console',
  },
};

const listeners = new Set();

function StoredLanguage() {
  try {
    const stored = sessionStorage.getItem(kLanguageStorageKey);
    return kLanguages.includes(stored) ? stored : kLanguages[0];
  } catch {
    return kLanguages[0];
  }
}

let current = StoredLanguage();

export function Language() {
  return current;
}

// Looks `key` up in the current language, falling back to Dutch. An unknown key is a bug in
// the page, so it throws rather than showing something half-translated.
export function t(key, params = {}) {
  const text = kStrings[current][key] ?? kStrings.nl[key];
  if (text === undefined) throw new Error(`i18n: unknown key ${key}`);
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

export function HasKey(key) {
  return key in kStrings.nl;
}

// The keys of one language, for the test that both tables hold the same keys.
export function Keys(language) {
  return Object.keys(kStrings[language]);
}

export function SetLanguage(language) {
  if (!kLanguages.includes(language) || language === current) return;
  current = language;
  try {
    sessionStorage.setItem(kLanguageStorageKey, language);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
  document.documentElement.lang = language;
  for (const listener of listeners) listener(language);
}

// Calls `listener(language)` after every switch; returns a function that unsubscribes.
export function OnLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Fills every element below `root` that carries data-i18n / data-i18n-attr.
export function Translate(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}

// Turns `button` into the language switch: it names the other language, in that language.
export function BindLanguageSwitch(button) {
  const update = () => {
    button.textContent = t('lang.switch');
    button.lang = t('lang.switchLang');
    button.setAttribute('aria-label', t('lang.switchLabel'));
  };
  update();
  button.addEventListener('click', () => SetLanguage(t('lang.switchLang')));
  OnLanguageChange(update);
}
