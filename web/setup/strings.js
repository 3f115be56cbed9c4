// The set-up page's strings, Dutch first, English second.
// The page adds them with AddStrings() from ../shared/i18n.js.

export const kSetupStrings = {
  nl: {
    'setup.title': 'Uitweg – eerste beheerder',
    'setup.heading': 'Eerste beheerder instellen',
    'setup.intro': 'Kies een gebruikersnaam en wachtwoord voor het eerste beheerdersaccount.',
    'setup.username': 'Gebruikersnaam (3–40 tekens: a–z, 0–9, punt, streepje, liggend streepje)',
    'setup.password': 'Wachtwoord (minstens 12 tekens; een paar losse woorden werkt goed)',
    'setup.confirm': 'Herhaal het wachtwoord',
    'setup.next': 'Verder',
    'setup.submit': 'Account aanmaken',
    'setup.mismatch': 'De wachtwoorden zijn niet gelijk.',
    'setup.tooShort': 'Het wachtwoord moet minstens 12 tekens hebben.',
    'setup.weakPassword':
      'Dit wachtwoord is te makkelijk te raden. Kies bijvoorbeeld een paar losse woorden.',
    'setup.enrolHeading': 'Koppel je authenticator-app',
    'setup.enrolIntro':
      'Je logt in met je wachtwoord en een code uit een authenticator-app op je telefoon. Scan de QR-code met de app, of typ de sleutel over. Vul daarna de zes cijfers in die de app toont.',
    'setup.secretLabel': 'Sleutel:',
    'setup.qrLabel': 'QR-code om je authenticator-app te koppelen',
    'setup.code': 'Code uit je app',
    'setup.wrongCode':
      'Die code klopt niet. Controleer of de tijd op je telefoon goed staat en probeer de volgende code.',
    'setup.recoveryHeading': 'Je herstelcodes',
    'setup.recoveryIntro':
      'Ben je je telefoon kwijt, dan log je in met een van deze codes in plaats van een code uit de app. Elke code werkt één keer. Bewaar ze op een veilige plek, los van je telefoon: ze worden niet opnieuw getoond.',
    'setup.badUsername': 'Gebruik 3 tot 40 tekens: kleine letters, cijfers, punt, - of _.',
    'setup.noToken':
      'Deze pagina heeft geen code (na het herladen is die weg). Open de link die de server gaf opnieuw. Heb je de QR-code al gescand, verwijder die regel dan uit je app.',
    'setup.wrongToken': 'De code in deze link klopt niet.',
    'setup.notNeeded': 'Er is al een beheerder. Log in via de console.',
    'setup.expired': 'Deze link is verlopen (hij werkt een uur na de start van de server). Herstart de server voor een nieuwe link, of maak de beheerder aan met uitweg user add.',
    'setup.done': 'Het account {name} is aangemaakt.',
    'setup.toConsole': 'Naar de console',
    'account.title': 'Uitweg – je account',
    'account.heading': 'Je account instellen',
    'account.forWhom': 'Voor het account {name}.',
    'account.finish': 'Klaar',
    'account.done': 'Het account {name} is ingesteld. Je kunt nu inloggen.',
    'account.badLink':
      'Deze link werkt niet (meer): hij is al gebruikt of verlopen. Vraag een beheerder om een nieuwe.',
    'account.noToken':
      'Deze pagina heeft geen code (na het herladen is die weg). Open de link die je kreeg opnieuw. Heb je de QR-code al gescand, verwijder die regel dan uit je app.',
  },
  en: {
    'setup.title': 'Uitweg – first administrator',
    'setup.heading': 'Set up the first administrator',
    'setup.intro': 'Choose a username and password for the first administrator account.',
    'setup.username': 'Username (3–40 characters: a–z, 0–9, dot, hyphen, underscore)',
    'setup.password': 'Password (at least 12 characters; a few unrelated words work well)',
    'setup.confirm': 'Repeat the password',
    'setup.next': 'Next',
    'setup.submit': 'Create account',
    'setup.mismatch': 'The passwords do not match.',
    'setup.tooShort': 'The password needs at least 12 characters.',
    'setup.weakPassword': 'This password is too easy to guess. Try a few unrelated words.',
    'setup.enrolHeading': 'Link your authenticator app',
    'setup.enrolIntro':
      'You sign in with your password and a code from an authenticator app on your phone. Scan the QR code with the app, or type in the key. Then enter the six digits the app shows.',
    'setup.secretLabel': 'Key:',
    'setup.qrLabel': 'QR code to link your authenticator app',
    'setup.code': 'Code from your app',
    'setup.wrongCode':
      'That code is wrong. Check that the time on your phone is right and try the next code.',
    'setup.recoveryHeading': 'Your recovery codes',
    'setup.recoveryIntro':
      'If you lose your phone, sign in with one of these codes instead of a code from the app. Each works once. Keep them somewhere safe, apart from your phone: they are not shown again.',
    'setup.badUsername': 'Use 3 to 40 characters: lower-case letters, digits, dot, - or _.',
    'setup.noToken':
      'This page holds no code (a reload takes it away). Open the link the server printed again. If you scanned the QR code already, delete that entry from your app.',
    'setup.wrongToken': 'The code in this link is wrong.',
    'setup.notNeeded': 'An administrator exists already. Sign in through the console.',
    'setup.expired': 'This link has expired (it works for an hour after the server starts). Restart the server for a new link, or create the administrator with uitweg user add.',
    'setup.done': 'The account {name} was created.',
    'setup.toConsole': 'Go to the console',
    'account.title': 'Uitweg – your account',
    'account.heading': 'Set up your account',
    'account.forWhom': 'For the account {name}.',
    'account.finish': 'Done',
    'account.done': 'The account {name} is set up. You can sign in now.',
    'account.badLink':
      'This link does not work (any more): it was used or has expired. Ask an administrator for a new one.',
    'account.noToken':
      'This page holds no code (a reload takes it away). Open the link you were given again. If you scanned the QR code already, delete that entry from your app.',
  },
};
