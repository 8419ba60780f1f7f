"""Verne's default texts for the privacy and accessibility statements, in nb, nn and en.

The HMS admin replaces them with the organisation's own (privacy/views.py `info_page_edit`);
until then these are shown, with {organisation} and {contact} filled in. Format: blank lines
between paragraphs, "## " for a heading, "- " for a list item (privacy/text.py).
"""

from __future__ import annotations

PRIVACY = {
    "nb": """\
{organisation} bruker Verne til det systematiske HMS-arbeidet: HMS-årsrapporter, HMS-runder, risikovurderinger, avvik, tiltak og arbeidsmiljøundersøkelser. {organisation} er behandlingsansvarlig for personopplysningene i Verne.

## Hvilke opplysninger vi behandler
- Navn, brukernavn, e-postadresse, språkvalg og en identifikator fra innloggingstjenesten.
- Rollene dine i organisasjonen (for eksempel leder, verneombud eller ansatt) og i hvilke enheter.
- Det du selv skriver eller gjør i Verne: besvarelser med navn, signaturer, avvik du melder med navn, tiltak du har ansvar for, og en logg over endringer.

Svar på anonyme undersøkelser (HMS-barometeret og arbeidsmiljøundersøkelsen) lagres uten navn og uten kobling til deg. Verne lagrer bare om du har svart, for å sende påminnelser, og sletter også det etter at undersøkelsen er lukket. Avvik kan meldes uten navn.

## Formål og rettslig grunnlag
Opplysningene brukes til å oppfylle arbeidsmiljøloven og internkontrollforskriften (GDPR artikkel 6 nr. 1 bokstav c). Resultater fra undersøkelser vises bare for grupper som er store nok til at ingen kan kjennes igjen.

## Hvor lenge vi lagrer
Opplysningene slettes eller anonymiseres etter fristene organisasjonen har satt. Når du slutter, kan HMS-administratoren anonymisere deg: navnet ditt erstattes da med «Tidligere ansatt», mens dokumentasjonen organisasjonen må ta vare på, blir stående.

## Dine rettigheter
Du har rett til innsyn, retting og sletting, og til å klage til Datatilsynet. Under «Mine data» i Verne kan du se og laste ned det Verne har lagret om deg.

## Kontakt
Spørsmål om personvern: {contact}
""",
    "nn": """\
{organisation} bruker Verne i det systematiske HMS-arbeidet: HMS-årsrapportar, HMS-rundar, risikovurderingar, avvik, tiltak og arbeidsmiljøundersøkingar. {organisation} er behandlingsansvarleg for personopplysningane i Verne.

## Kva opplysningar vi behandlar
- Namn, brukarnamn, e-postadresse, språkval og ein identifikator frå innloggingstenesta.
- Rollene dine i organisasjonen (til dømes leiar, verneombod eller tilsett) og i kva einingar.
- Det du sjølv skriv eller gjer i Verne: svar med namn, signaturar, avvik du melder med namn, tiltak du har ansvar for, og ein logg over endringar.

Svar på anonyme undersøkingar (HMS-barometeret og arbeidsmiljøundersøkinga) blir lagra utan namn og utan kopling til deg. Verne lagrar berre om du har svart, for å sende påminningar, og slettar òg det etter at undersøkinga er lukka. Avvik kan meldast utan namn.

## Formål og rettsleg grunnlag
Opplysningane blir brukte til å oppfylle arbeidsmiljølova og internkontrollforskrifta (GDPR artikkel 6 nr. 1 bokstav c). Resultat frå undersøkingar blir berre viste for grupper som er store nok til at ingen kan kjennast att.

## Kor lenge vi lagrar
Opplysningane blir sletta eller anonymiserte etter fristane organisasjonen har sett. Når du sluttar, kan HMS-administratoren anonymisere deg: namnet ditt blir då bytt ut med «Tidlegare tilsett», medan dokumentasjonen organisasjonen må ta vare på, blir ståande.

## Rettane dine
Du har rett til innsyn, retting og sletting, og til å klage til Datatilsynet. Under «Mine data» i Verne kan du sjå og laste ned det Verne har lagra om deg.

## Kontakt
Spørsmål om personvern: {contact}
""",
    "en": """\
{organisation} uses Verne for its systematic health, safety and environment (HSE) work: annual HSE reports, HSE rounds, risk assessments, deviations, actions and working-environment surveys. {organisation} is the controller of the personal data in Verne.

## What we process
- Your name, username, email address, language and an identifier from the sign-in service.
- Your roles in the organisation (for example leader, safety representative or employee) and in which units.
- What you write or do in Verne yourself: named responses, signatures, deviations you report by name, actions you are responsible for, and a log of changes.

Answers to anonymous surveys (the HSE barometer and the working-environment survey) are stored without your name and without any link to you. Verne only stores whether you have answered, to send reminders, and deletes that too after the survey has closed. Deviations can be reported without a name.

## Purpose and legal basis
The data are used to comply with the Working Environment Act and the Internal Control Regulations (GDPR Article 6(1)(c)). Survey results are only shown for groups large enough that no one can be recognised.

## How long we keep it
Data are deleted or anonymised after the periods the organisation has set. When you leave, the HSE administrator can anonymise you: your name is replaced with “Former employee”, while the records the organisation must keep remain.

## Your rights
You have the right of access, rectification and erasure, and the right to complain to the Norwegian Data Protection Authority (Datatilsynet). Under “My data” in Verne you can see and download what Verne holds about you.

## Contact
Questions about privacy: {contact}
""",
}

ACCESSIBILITY = {
    "nb": """\
{organisation} har ansvar for at Verne er universelt utformet. Verne skal følge WCAG 2.1 på nivå AA, slik forskrift om universell utforming av IKT-løsninger krever.

## Slik arbeider vi med tilgjengelighet
- Verne bygger på Digitaliseringsdirektoratets designsystem (Designsystemet).
- Hver side testes automatisk med axe-core, og skjemaene testes med tastatur.
- Sidene fungerer på mobil ned til 390 piksler bredde, uten vannrett rulling.

## Kjente mangler
Vi kjenner ikke til brudd på kravene nå. Organisasjonen bør publisere den offisielle erklæringen i Digitaliseringsdirektoratets løsning for tilgjengelighetserklæringer (uustatus.no) og lenke til den her.

## Gi oss tilbakemelding
Opplever du problemer med å bruke Verne, kontakt {contact}. Du kan også klage til Tilsynet for universell utforming av ikt.
""",
    "nn": """\
{organisation} har ansvar for at Verne er universelt utforma. Verne skal følgje WCAG 2.1 på nivå AA, slik forskrift om universell utforming av IKT-løysingar krev.

## Slik arbeider vi med tilgjenge
- Verne byggjer på designsystemet til Digitaliseringsdirektoratet (Designsystemet).
- Kvar side blir testa automatisk med axe-core, og skjemaa blir testa med tastatur.
- Sidene fungerer på mobil ned til 390 pikslar breidd, utan vassrett rulling.

## Kjende manglar
Vi kjenner ikkje til brot på krava no. Organisasjonen bør publisere den offisielle fråsegna i løysinga til Digitaliseringsdirektoratet for tilgjengefråsegner (uustatus.no) og lenkje til ho her.

## Gi oss tilbakemelding
Opplever du problem med å bruke Verne, kontakt {contact}. Du kan òg klage til Tilsynet for universell utforming av ikt.
""",
    "en": """\
{organisation} is responsible for Verne being universally designed. Verne aims to meet WCAG 2.1 level AA, as the Norwegian regulations on universal design of ICT require.

## How we work on accessibility
- Verne is built on the Norwegian Digitalisation Agency's design system (Designsystemet).
- Every page is checked automatically with axe-core, and the forms are tested with the keyboard.
- The pages work on phones down to 390 pixels wide, without horizontal scrolling.

## Known issues
We know of no failures to meet the requirements at present. The organisation should publish the official statement in the Digitalisation Agency's accessibility statement service (uustatus.no) and link to it here.

## Feedback
If you have trouble using Verne, contact {contact}. You can also complain to the Authority for Universal Design of ICT.
""",
}

DEFAULTS = {"privacy": PRIVACY, "accessibility": ACCESSIBILITY}
