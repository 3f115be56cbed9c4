// The visitor pages' strings (start page, chat, safety page), Dutch first, English second.
// The pages add them with AddStrings() from ../shared/i18n.js.

export const kVisitorStrings = {
  nl: {
    'exit.button': 'Verlaat deze pagina',
    'exit.hint': 'Of druk 3 keer snel op Shift.',
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
    'form.busy':
      'Het is nu heel druk en er kan niemand meer bij in de wachtrij. Dat ligt niet aan jou. Probeer het over een paar minuten opnieuw. Is het dringend? Bel 112.',
    'feedback.intro': 'Twee korte vragen. Je mag ze overslaan; je antwoorden worden los van dit gesprek bewaard.',
    'feedback.helped': 'Heeft dit gesprek je geholpen?',
    'feedback.wouldReturn': 'Zou je terugkomen als je weer ergens mee zit?',
    'feedback.yes': 'Ja',
    'feedback.somewhat': 'Een beetje',
    'feedback.maybe': 'Misschien',
    'feedback.no': 'Nee',
    'feedback.send': 'Verstuur je antwoorden',
    'feedback.none': 'Kies eerst een antwoord, of sla de vragen over.',
    'feedback.thanks': 'Dank je wel voor je antwoorden.',
    'feedback.failed': 'Je antwoorden konden niet worden verstuurd.',
    'waiting.heading': 'Je bent in de wachtrij',
    'waiting.position': 'Je bent nummer {n} in de wachtrij.',
    'waiting.unknown': 'Je staat in de wachtrij.',
    'waiting.aboutMinutes': 'Je wacht naar verwachting ongeveer {n} minuten.',
    'waiting.aboutOneMinute': 'Je wacht naar verwachting ongeveer een minuut.',
    'waiting.lessThanAMinute': 'Je wacht naar verwachting minder dan een minuut.',
    'waiting.veryBusy': 'Het is nu erg druk: we kunnen niet zeggen hoe lang het duurt.',
    'waiting.text': 'Een hulpverlener komt zo bij je. Je kunt alvast een bericht typen.',
    'chat.heading': 'Chat met een hulpverlener',
    'chat.log': 'Berichten',
    'chat.input': 'Je bericht',
    'chat.end': 'Chat beëindigen',
    'chat.endQuestion': 'Weet je zeker dat je de chat wilt beëindigen?',
    'chat.endYes': 'Ja, beëindigen',
    'chat.endNo': 'Nee, verder chatten',
    'chat.forget': 'Wis dit gesprek als het klaar is',
    'chat.forgetNoted':
      'Dit gesprek wordt gewist zodra het is afgelopen: daarna kan niemand het meer lezen, ook wij niet.',
    'ended.forgotten': 'Zoals je vroeg, wordt het gesprek binnen een minuut gewist.',
    'chat.accepted': '{name} is er nu voor je.',
    'chat.counsellorTyping': 'De hulpverlener typt…',
    'chat.released':
      'Je hulpverlener moest weg. Je staat weer vooraan in de wachtrij; een collega neemt het over en leest wat jullie schreven.',
    'chat.endedByVisitor': 'Je hebt het gesprek beëindigd.',
    'chat.endedByCounsellor': 'De hulpverlener heeft het gesprek beëindigd.',
    'chat.lost': 'Dit gesprek kon niet worden hervat. Je kunt een nieuwe chat starten.',
    'ended.text': 'Bedankt voor je vertrouwen. Je kunt altijd een nieuw gesprek beginnen.',
    'ended.abandoned':
      'Je was een tijd weg, dus je plek in de wachtrij is vrijgegeven. Je kunt altijd een nieuwe chat starten.',
    'chat.slowDown': 'Even rustig aan: je berichten worden zo vanzelf verstuurd.',
    'chat.waitForCounsellor':
      'Je kunt meer sturen zodra een hulpverlener er is. Je berichten staan klaar en gaan dan vanzelf.',
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
  },
  en: {
    'exit.button': 'Exit this page',
    'exit.hint': 'Or press Shift 3 times quickly.',
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
    'form.busy':
      'It is very busy right now and the queue is full. That is not your fault. Please try again in a few minutes. Is it urgent? Call 112.',
    'feedback.intro': 'Two short questions. You may skip them; your answers are kept apart from this conversation.',
    'feedback.helped': 'Did this conversation help you?',
    'feedback.wouldReturn': 'Would you come back if something is on your mind again?',
    'feedback.yes': 'Yes',
    'feedback.somewhat': 'A little',
    'feedback.maybe': 'Maybe',
    'feedback.no': 'No',
    'feedback.send': 'Send your answers',
    'feedback.none': 'Choose an answer first, or skip the questions.',
    'feedback.thanks': 'Thank you for your answers.',
    'feedback.failed': 'Your answers could not be sent.',
    'waiting.heading': 'You are in the queue',
    'waiting.position': 'You are number {n} in the queue.',
    'waiting.unknown': 'You are in the queue.',
    'waiting.aboutMinutes': 'You can expect to wait about {n} minutes.',
    'waiting.aboutOneMinute': 'You can expect to wait about a minute.',
    'waiting.lessThanAMinute': 'You can expect to wait less than a minute.',
    'waiting.veryBusy': 'It is very busy right now: we cannot say how long it will take.',
    'waiting.text': 'A counsellor will be with you soon. You can already type a message.',
    'chat.heading': 'Chat with a counsellor',
    'chat.log': 'Messages',
    'chat.input': 'Your message',
    'chat.end': 'End chat',
    'chat.endQuestion': 'Are you sure you want to end the chat?',
    'chat.endYes': 'Yes, end it',
    'chat.endNo': 'No, keep chatting',
    'chat.forget': 'Delete this chat when it is over',
    'chat.forgetNoted':
      'This chat will be deleted as soon as it ends: after that nobody can read it, not even us.',
    'ended.forgotten': 'As you asked, the chat will be deleted within a minute.',
    'chat.accepted': '{name} is here for you now.',
    'chat.counsellorTyping': 'The counsellor is typing…',
    'chat.released':
      'Your counsellor had to leave. You are back at the front of the queue; a colleague will take over and read what you wrote.',
    'chat.endedByVisitor': 'You ended the conversation.',
    'chat.endedByCounsellor': 'The counsellor ended the conversation.',
    'chat.lost': 'This conversation could not be resumed. You can start a new chat.',
    'ended.text': 'Thank you for your trust. You can always start a new conversation.',
    'ended.abandoned':
      'You were away for a while, so your place in the queue was given up. You can always start a new chat.',
    'chat.slowDown': 'Slow down a little: your messages will be sent in a moment.',
    'chat.waitForCounsellor':
      'You can send more once a counsellor has joined. Your messages are ready and will go then.',
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
  },
};
