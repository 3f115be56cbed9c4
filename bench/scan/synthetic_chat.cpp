#include "synthetic_chat.hpp"

#include <array>
#include <string_view>

namespace uitweg::bench {
namespace {

template <std::size_t N>
std::string_view Pick(Random& random, const std::array<std::string_view, N>& items) {
  return items[random.Below(static_cast<std::uint32_t>(N))];
}

constexpr std::array<std::string_view, 12> kGreetings = {
    "Hoi", "Hey", "Goedemorgen", "Yo", "Hallo",       "Moi",
    "Dag", "Hee", "Goeiemiddag", "Ey", "Goedenavond", "Hai"};
constexpr std::array<std::string_view, 16> kPlaces = {"de markt",
                                                      "het station",
                                                      "de Kuip",
                                                      "het strand",
                                                      "de bieb",
                                                      "de sportschool",
                                                      "het café op de hoek",
                                                      "de Albert Heijn",
                                                      "het park",
                                                      "school",
                                                      "de kapper",
                                                      "de haven",
                                                      "het buurthuis",
                                                      "Zuidplein",
                                                      "de bioscoop",
                                                      "het zwembad"};
constexpr std::array<std::string_view, 12> kTimes = {
    "vanavond",     "morgen",         "zaterdag",      "zondagmiddag",
    "straks",       "na school",      "volgende week", "om een uur of acht",
    "vrijdagavond", "in het weekend", "maandag",       "na het werk"};
constexpr std::array<std::string_view, 16> kThings = {"een fiets",
                                                      "een tweedehands telefoon",
                                                      "een bank voor in de woonkamer",
                                                      "een PS5",
                                                      "oplaadkabels",
                                                      "een winterjas",
                                                      "kaartjes voor het concert",
                                                      "een boormachine",
                                                      "een kinderwagen",
                                                      "schoolboeken",
                                                      "een laptop",
                                                      "een scooterhelm",
                                                      "een tent",
                                                      "plantjes",
                                                      "een koelkast",
                                                      "voetbalschoenen"};
constexpr std::array<std::string_view, 12> kCities = {
    "Rotterdam", "Schiedam", "Vlaardingen", "Capelle",    "Spijkenisse", "Dordrecht",
    "Den Haag",  "Delft",    "Barendrecht", "Ridderkerk", "Maassluis",   "Zwijndrecht"};
constexpr std::array<std::string_view, 10> kClosings = {"Laat maar weten!",
                                                        "Thanks alvast",
                                                        "Groetjes",
                                                        "Alvast bedankt 🙏",
                                                        "😊",
                                                        "👍",
                                                        "Fijne dag nog",
                                                        "Doei!",
                                                        "Merci",
                                                        "xx"};
constexpr std::array<std::string_view, 32> kSentences = {
    "Mijn pakketje van de bezorger is weer bij de buren afgeleverd.",
    "Wie zoekt er nog een woning in Zuid? Mijn buurvrouw gaat verhuizen.",
    "De container voor het oud papier is vol, wie belt de gemeente?",
    "Op de terminal was het vandaag echt heel druk met vrachtwagens.",
    "Ik heb snel geld nodig voor de huur, iemand tips voor een bijbaan in de horeca?",
    "Mijn broer werkt in de haven, hij zegt dat het zwaar werk is maar goed betaalt.",
    "Heeft iemand een pakketje voor mij aangenomen? Het is van bol.",
    "De gemeente zoekt vrijwilligers voor het buurtfeest.",
    "Morgen is de markt weer open, er staat een nieuwe kraam met verse vis.",
    "Weet iemand of de tram vandaag rijdt? Er is toch een staking?",
    "Ik ben mijn pinpas kwijt, moet ik die blokkeren via de app?",
    "Wie heeft er zin om te voetballen op het veldje achter de school?",
    "Het was echt gezellig gisteren, volgende keer weer!",
    "Mijn opa heeft vroeger veertig jaar op een containerschip gewerkt.",
    "Is er iemand die Nederlandse les geeft? Mijn neef is net in Nederland.",
    "Kan iemand mij helpen met mijn belastingaangifte? Ik snap er niks van.",
    "De sportschool heeft nieuwe openingstijden, tot elf uur 's avonds.",
    "Pas op, er zijn nep-sms'jes rond van de bank over je rekening.",
    "We zoeken nog een keeper voor het zaalvoetbal op dinsdag.",
    "Er staat een gratis kast aan de straat, wie wil hem hebben?",
    "Ik verkoop mijn oude scooter, rijdt nog prima, 450 euro.",
    "Wat een regen vandaag, mijn schoenen zijn helemaal doorweekt.",
    "Iemand ervaring met die opleiding tot logistiek medewerker?",
    "Wie weet waar ik goedkoop mijn telefoonscherm kan laten maken?",
    "De bibliotheek heeft een huiswerkklas voor middelbare scholieren.",
    "Vergeet niet je fiets op slot te zetten, er wordt veel gestolen hier.",
    "Mijn zus zoekt een kamer in de buurt van de hogeschool.",
    "Ramadan mubarak aan iedereen die meedoet! 🌙",
    "Het buurthuis organiseert een kookavond, iedereen is welkom.",
    "Easy, ik kom zo, even mijn broertje ophalen van training.",
    "Heeft iemand nog een oplader voor een iPhone? Mijn accu is bijna leeg.",
    "Op het station was een storing, ik sta al een uur te wachten."};

void AppendSentence(Random& random, std::string& out) {
  switch (random.Below(6)) {
    case 0:
      out.append(Pick(random, kGreetings))
          .append(" allemaal, wie gaat er ")
          .append(Pick(random, kTimes))
          .append(" mee naar ")
          .append(Pick(random, kPlaces))
          .append("?");
      break;
    case 1:
      out.append("Heeft iemand ")
          .append(Pick(random, kThings))
          .append(" te koop in ")
          .append(Pick(random, kCities))
          .append("? ")
          .append(Pick(random, kClosings));
      break;
    case 2:
      out.append("Vergeet niet: ")
          .append(Pick(random, kTimes))
          .append(" om ")
          .append(std::to_string(7 + random.Below(15)))
          .append(" uur bij ")
          .append(Pick(random, kPlaces))
          .append(".");
      break;
    default: out.append(Pick(random, kSentences));
  }
}

constexpr std::array<std::string_view, 10> kPinpas = {
    "pinpas",        "p1npas",  "p.i.n.p.a.s", "P I N P A S", "pin\u200Bpas",
    "b.a.n.k.p.a.s", "bankpas", "piiinpas",    "pınpas",      "PINPAS"};
constexpr std::array<std::string_view, 6> kCash = {"snel geld", "snelle cash", "easy money",
                                                   "snel g3ld", "$nel geld",   "ez money"};
constexpr std::array<std::string_view, 6> kContact = {
    "Stuur een DM", "DM me", "pv voor info", "Snap me", "stuur een bericht", "app me"};

}  // namespace

void AppendInnocentMessage(Random& random, std::string& out) {
  const std::uint32_t sentences = 1 + random.Below(4);
  for (std::uint32_t i = 0; i < sentences; ++i) {
    if (i > 0) out.push_back(random.Chance(0.2) ? '\n' : ' ');
    AppendSentence(random, out);
  }
}

void AppendRecruitmentPost(Random& random, bool obfuscate, std::string& out) {
  const std::string amount = std::to_string(200 + 50 * random.Below(20));
  const std::string_view pinpas = obfuscate ? Pick(random, kPinpas) : "pinpas";
  const std::string_view cash = obfuscate ? Pick(random, kCash) : "snel geld";
  switch (random.Below(7)) {
    case 0:
      out.append(cash)
          .append(" verdienen? ")
          .append(pinpas)
          .append(" uitlenen voor 1 dag = ")
          .append(amount)
          .append(" euro. ")
          .append(Pick(random, kContact))
          .append(" 💰💰");
      break;
    case 1:
      out.append("Wie wil zijn rekening verhuren? ")
          .append(amount)
          .append(" per week, geen vragen. ")
          .append(Pick(random, kContact));
      break;
    case 2:
      out.append("Uithalers gezocht voor de terminal, ")
          .append(amount)
          .append("0 per container. Alleen serieuze mensen, ")
          .append(Pick(random, kContact));
      break;
    case 3:
      out.append("Werkers gezocht voor klussen, bommen leggen, goed betaald. ")
          .append(Pick(random, kContact));
      break;
    case 4:
      out.append("❄️🍫💊 menukaart in pv, bezorging 24/7 in ")
          .append(Pick(random, kCities))
          .append(". Koerier gezocht voor pakketje wegbrengen, ")
          .append(amount)
          .append(" per rit");
      break;
    case 5:
      out.append("Plofkraak team zoekt soldaten, ")
          .append(cash)
          .append(", ")
          .append(Pick(random, kContact));
      break;
    default:
      out.append("Opslag of woning nodig, geen vragen, ")
          .append(amount)
          .append(" per maand cash. ")
          .append(Pick(random, kContact));
  }
}

const char* SenderName(Random& random) {
  static constexpr std::array<const char*, 16> kNames = {
      "Sanne", "Mo",    "Jayden", "Fatima", "Kevin", "Lisa",    "Youssef", "Daan",
      "Noor",  "Milan", "Sara",   "Ilias",  "Emma",  "Ricardo", "Aylin",   "Bram"};
  return kNames[random.Below(static_cast<std::uint32_t>(kNames.size()))];
}

}  // namespace uitweg::bench
