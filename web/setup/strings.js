// The set-up page's strings, Dutch first, English second.
// The page adds them with AddStrings() from ../shared/i18n.js.

export const kSetupStrings = {
  nl: {
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
