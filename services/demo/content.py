"""What the demo story says: Idrija's process "Načrt za vključujočo Idrijo", its phases, what the
focus groups and world cafés brought, the residents' proposals, the arguments, the ballots and the
ministry's reply. This is demo data (made-up people and events), not interface text.

Days are counted from today in Idrija (negative: in the past)."""
from __future__ import annotations

PROCESS = "idrija-vkljucujoca"
# Everyone in the story signs in with the demo password. Ana and Oleh are the seeded demo residents.
PEOPLE = {  # key: (e-mail, language of the account)
    "ana": ("ana.resident@example.org", "sl"),
    "oleh": ("oleh.resident@example.org", "uk"),
    "nina": ("nina.kos@example.org", "sl"),
    "marko": ("marko.vidmar@example.org", "sl"),
    "petra": ("petra.zupan@example.org", "sl"),
    "amra": ("amra.hodzic@example.org", "bs"),
    "mirela": ("mirela.begic@example.org", "bs"),
    "arben": ("arben.krasniqi@example.org", "sq"),
    "oksana": ("oksana.melnyk@example.org", "uk"),
    "james": ("james.okafor@example.org", "en"),
    "layla": ("layla.haddad@example.org", "en"),
}
# The residents on Idrija's register who verified (they support, endorse and vote): reference, birth date.
# Ana (IDR-1001) and Oleh (IDR-1002) stay unverified, so that a visitor can try verifying as them.
VOTERS = {
    "nina": ("IDR-2001", "1987-02-11"), "marko": ("IDR-2002", "1975-09-23"), "petra": ("IDR-2003", "1992-06-05"),
    "amra": ("IDR-2004", "1984-12-01"), "mirela": ("IDR-2005", "1990-03-17"), "arben": ("IDR-2006", "1981-08-29"),
    "oksana": ("IDR-2007", "1979-04-08"), "james": ("IDR-2008", "1988-10-14"),
}

PHASES = [("focus_groups", -150, -106), ("workshops", -105, -71), ("deliberation", -70, -43),
          ("vote", -42, 13), ("forwarding", 14, 75)]
DESCRIPTION = {
    "sl": "Občina Idrija s prebivalci, priseljenimi in domačimi, pripravlja načrt vključevanja za pet izzivov: "
          "zaposlovanje, stanovanja, izobraževanje in predšolska vzgoja, zdravstvo ter socialno in kulturno "
          "vključevanje. Fokusne skupine in svetovne kavarne so zbrale izkušnje, prebivalci so oddali predloge, "
          "o njih razpravljajo in glasujejo; sklepe iz državne pristojnosti občina pošlje pristojnim ministrstvom.",
    "en": "The Municipality of Idrija and its residents, newcomers and long-time locals, are drawing up an "
          "inclusion plan for five challenges: employment, housing, education and pre-school, health care, and "
          "social and cultural inclusion. Focus groups and world cafés gathered experience, residents submitted "
          "proposals, discuss them and vote; conclusions the state decides go to the competent ministries.",
}

# Recorded by staff (POST /workshop-input) while the process was in `phase`; "held" is a day offset.
WORKSHOPS = [{
    "key": "qualifications", "phase": "focus_groups", "theme": "employment", "competence": "national",
    "title": "Hitrejše priznavanje tujih izobrazb in poklicnih kvalifikacij",
    "summary": "Priseljenci z izobrazbo iz tujine leta delajo pod svojo usposobljenostjo, ker postopek priznavanja "
               "traja dolgo in nihče ne pove, kje začeti.",
    "body": "Na fokusni skupini o zaposlovanju je štirinajst udeležencev opisalo, kako dolgo so čakali na "
            "priznanje: medicinska sestra iz Bosne in Hercegovine štirinajst mesecev, strojni inženir iz Ukrajine "
            "skoraj dve leti.\n\nPredlagamo, da država:\n\n- odloči o priznanju poklicne kvalifikacije v "
            "zakonskem roku;\n- sprejema vloge in dokazila v elektronski obliki;\n- med postopkom omogoči delo v "
            "poklicu pod mentorstvom;\n- krije stroške sodnih prevodov za osebe z mednarodno zaščito.\n\n"
            "Občina bo na svoji spletni strani objavila vodič po postopku v petih jezikih.",
    "translations": {"en": {
        "title": "Faster recognition of foreign qualifications",
        "summary": "Newcomers with qualifications from abroad work below their skills for years, because "
                   "recognition takes long and nobody says where to start.",
        "body": "We propose that the state decides within the legal time limit, accepts applications "
                "electronically, lets people work under a mentor while they wait, and pays for certified "
                "translations for people under international protection."}},
    "justification": "Priznavanje izobrazbe in poklicnih kvalifikacij ureja država; občina lahko pomaga z informacijami.",
    "workshop": {"kind": "focus_group", "facilitator": "Ljudska univerza Idrija", "held": -128, "participants": 14,
                 "languages": ["sl", "uk", "bs", "sq"],
                 "notes": "Tolmačenje v ukrajinščino in albanščino; zapisnik je potrdilo vseh štirinajst udeležencev."},
}, {
    "key": "interpreters", "phase": "focus_groups", "theme": "health", "competence": "national",
    "title": "Tolmači in kulturni mediatorji v Zdravstvenem domu Idrija",
    "summary": "Bolniki, ki še ne govorijo slovensko, za prevajalce pri zdravniku pogosto pripeljejo otroke ali "
               "sosede. To ogroža zasebnost in varnost zdravljenja.",
    "body": "Na fokusni skupini o zdravju so udeleženke povedale, da so hčere pri ginekologu prevajale materam in "
            "da navodila za zdravila dobijo samo v slovenščini.\n\nPredlagamo, da država zagotovi in financira:"
            "\n\n- tolmačenje po telefonu ali videu za vse ambulante zdravstvenega doma;\n- kulturno mediatorko "
            "en dan na teden v patronažni službi;\n- navodila za najpogostejša zdravila v arabščini, ukrajinščini, "
            "albanščini in angleščini.",
    "justification": "Financiranje tolmačenja v zdravstvu je v pristojnosti Ministrstva za zdravje.",
    "workshop": {"kind": "focus_group", "facilitator": "Zdravstveni dom Idrija, patronažna služba", "held": -120,
                 "participants": 9, "languages": ["sl", "ar", "uk", "en"],
                 "notes": "Skupina samo za ženske, z varstvom otrok v sosednji sobi."},
}, {
    "key": "tenancies", "phase": "workshops", "theme": "housing", "competence": "shared",
    "title": "Jasna pravila za najem neprofitnih stanovanj",
    "summary": "Družine priseljencev težko najdejo stanovanje: najemodajalci zahtevajo visoke varščine, razpise za "
               "neprofitna stanovanja pa mnogi zamudijo, ker so samo v slovenščini.",
    "body": "Za mizami svetovne kavarne so udeleženci predlagali:\n\n- razpis za neprofitna stanovanja objaviti "
            "tudi v preprostem jeziku in ga poslati društvom;\n- enaka merila o dobi prebivanja v občini za vse "
            "prebivalce;\n- občinsko jamstvo za varščino pri prvem najemu.\n\nDel ukrepov je občinski, "
            "stanovanjska zakonodaja pa je državna.",
    "justification": "Razpis in jamstvo sta občinska, merila za neprofitna stanovanja določa država.",
    "workshop": {"kind": "world_cafe", "facilitator": "Center za socialno delo Idrija", "held": -98,
                 "participants": 22, "languages": ["sl", "bs", "sq", "ar"],
                 "notes": "Štiri mize, vsaka s povzemalcem; izidi so bili prebrani na koncu."},
}, {
    "key": "school", "phase": "workshops", "theme": "education", "competence": "shared",
    "title": "Dodatne ure slovenščine za učence priseljence",
    "summary": "Otroci, ki pridejo med šolskim letom, prvo leto pogosto ne razumejo pouka, šole pa za dodatno "
               "slovenščino dobijo premalo ur.",
    "body": "Učitelji in starši so se strinjali, da je prvo leto odločilno.\n\n- Vsak novo prispeli učenec naj "
            "ima prvo leto najmanj štiri ure slovenščine na teden.\n- Učenec naj ima sošolca ali sošolko, ki "
            "mu pomaga prve tedne.\n- Roditeljski sestanki naj imajo tolmača, kadar ga starši potrebujejo.",
    "justification": "Ure slovenščine financira država, tolmače za roditeljske sestanke lahko zagotovi občina.",
    "workshop": {"kind": "world_cafe", "facilitator": "Osnovna šola Idrija in Vrtec Idrija", "held": -88,
                 "participants": 18, "languages": ["sl", "uk", "ar", "en"], "notes": ""},
}, {
    "key": "meeting-place", "phase": "workshops", "theme": "inclusion", "competence": "municipal",
    "title": "Skupni prostor za društva in medkulturne dogodke",
    "summary": "Društva priseljencev in domačinov nimajo kje se srečevati. Občina naj enkrat na teden brezplačno "
               "odda dvorano in pomaga pripraviti skupni poletni praznik.",
    "body": "Na svetovni kavarni so se udeleženci dogovorili, da bi se radi bolje spoznali.\n\n- Dvorana na "
            "Prelovčevi ulici ob sredah zvečer za društva brezplačno.\n- Skupen praznik na Mestnem trgu ob "
            "koncu junija, s hrano, glasbo in igrami za otroke.\n- Koledar dogodkov v knjižnici in na spletni "
            "strani občine.",
    "justification": None,
    "workshop": {"kind": "world_cafe", "facilitator": "Mestna knjižnica Idrija", "held": -80, "participants": 26,
                 "languages": ["sl", "bs", "sq", "uk", "ar"], "notes": "Med kavarno je bilo varstvo otrok."},
}]

# Residents' proposals (phase: deliberation) and what moderation did with each:
# ("publish", competence, justification) | ("pending",) | ("reject", reason_code, reason) | ("changes", note)
PROPOSALS = [{
    "key": "cafe", "author": "ana", "language": "sl", "theme": "inclusion",
    "title": "Pogovorna kavarna v slovenščini v Mestni knjižnici Idrija",
    "summary": "Vsak četrtek zvečer bi se v knjižnici srečevali priseljenci in domačini ter se ob kavi pogovarjali "
               "v slovenščini, brez ocen in brez učbenikov.",
    "body": "Tečaji slovenščine so dobri, a za pogovor na njih ostane malo časa.\n\n- Vsak četrtek od 18.00 do "
            "19.30 v čitalnici.\n- Prostovoljci vodijo pogovor v majhnih skupinah.\n- Med srečanji je varstvo "
            "otrok v mladinskem oddelku.\n- Knjižnica pripravi police s knjigami v lahkem branju.",
    "fate": ("publish", "municipal", "Knjižnico in prostovoljce lahko organizira občina."),
}, {
    "key": "preschool", "author": "nina", "language": "sl", "theme": "education",
    "title": "Več mest v vrtcu in pomoč pri vpisu za novo priseljene družine",
    "summary": "Družine, ki se priselijo med letom, na mesto v vrtcu čakajo več mesecev, obrazec za vpis pa je samo v "
               "slovenščini. Predlagam dodatni oddelek in pomoč pri vpisu.",
    "body": "- Občina odpre dodatni oddelek za otroke od enega do treh let v Vrtcu Idrija.\n- Obrazec za vpis in "
            "navodila so tudi v ukrajinščini, bosanščini, albanščini, arabščini in angleščini.\n- Enkrat na mesec "
            "vzgojiteljica in tolmač pomagata staršem izpolniti vlogo.\n- Mesta se dodeljujejo po enakih merilih "
            "za vse družine.",
    "translations": {"en": {
        "title": "More pre-school places and help with enrolment for newly arrived families",
        "summary": "Families who move here during the year wait months for a pre-school place, and the "
                   "enrolment form is in Slovene only. I propose an extra group and help with enrolment.",
        "body": "An extra group for children aged one to three, the form in five more languages, a monthly "
                "session where a teacher and an interpreter help parents fill it in, and the same criteria "
                "for every family."}},
    "fate": ("publish", "shared", "Vrtec ustanavlja občina, normative in sofinanciranje določa država."),
}, {
    "key": "housing-desk", "author": "amra", "language": "bs", "theme": "housing",
    "title": "Savjetovalište za stanovanje u Idriji",
    "summary": "Jednom sedmično savjetnik bi pomagao pri traženju stana, čitanju ugovora o najmu i prijavi na javni "
               "poziv za neprofitne stanove.",
    "body": "Mnogi od nas ne znaju koja su prava i obaveze najmoprimca, kolika smije biti kaucija i kako prijaviti "
            "prebivalište.\n\n- Svakog utorka od 16 do 18 sati u Centru za socialno delo.\n- Savjetnik govori "
            "slovenski i bar jedan jezik naših zajednica.\n- Kratak vodič o najmu na pet jezika.",
    "fate": ("publish", "municipal", "Svetovalnico lahko organizira občina s centrom za socialno delo."),
}, {
    "key": "mentors", "author": "oleh", "language": "uk", "theme": "inclusion",
    "title": "Наставники для новоприбулих сімей",
    "summary": "Волонтери з Ідрії могли б перші три місяці супроводжувати нові сім'ї: показати, де лікар, школа "
               "й адміністративна одиниця, і допомогти з першими документами.",
    "body": "Коли ми приїхали, найважче було зрозуміти, куди йти і в якому порядку.\n\n- Одна сім'я, один "
            "наставник, три місяці.\n- Коротке навчання для волонтерів у бібліотеці.\n- Зустріч усіх сімей і "
            "наставників раз на місяць.",
    "fate": ("publish", "municipal", "Program prostovoljcev lahko vodi občina."),
}, {
    "key": "evening-course", "author": "james", "language": "en", "theme": "education",
    "title": "Evening Slovene classes for people who work shifts",
    "summary": "The Slovene courses in Idrija run in the morning, when many of us are at work. A second group in "
               "the evening or on Saturday would let shift workers learn too.",
    "body": "Half of the people at my workplace who want to learn Slovene work morning or afternoon shifts.\n\n"
            "- A group on Tuesday and Thursday evenings, and one on Saturday morning.\n- The same course and "
            "certificate as the morning group.\n- Employers could tell new workers about it on their first day.",
    "fate": ("publish", "shared", "Tečaje financira država, urnik lahko dogovori občina z Ljudsko univerzo."),
}, {
    "key": "swimming", "author": "layla", "language": "ar", "theme": "inclusion",
    "title": "ساعات سباحة مخصصة للنساء في المسبح البلدي",
    "summary": "نقترح تخصيص ساعتين أسبوعياً في المسبح البلدي للنساء فقط، مع مدربة سباحة، حتى تتمكن النساء "
               "اللواتي لا يسبحن في مجموعات مختلطة من ممارسة الرياضة وتعلّم السباحة.",
    "body": "كثير من النساء في حيّنا لم يتعلمن السباحة قط.\n\n- ساعتان مساء كل أحد.\n- مدربة سباحة من النادي "
            "المحلي.\n- رسوم الدخول نفسها لجميع المقيمين.",
    "fate": ("publish", "municipal", "Urnik bazena določa občinski javni zavod."),
}, {
    "key": "parents-evenings", "author": "oksana", "language": "uk", "theme": "education",
    "title": "Інформаційні вечори для батьків про школу й дитячий садок",
    "summary": "Двічі на рік школа й дитячий садок могли б проводити вечір для новоприбулих батьків із "
               "перекладачем: як працює оцінювання, продовжене перебування і запис до гуртків.",
    "body": "Ми багато чого дізналися лише наприкінці першого року, наприклад, що після уроків діти можуть "
            "залишатися в школі.\n\n- Вечір у вересні та в лютому.\n- Перекладачі українською, арабською та "
            "албанською.\n- Коротка пам'ятка, яку діти приносять додому.",
    "fate": ("pending",),
}, {
    "key": "mothers-course", "author": "arben", "language": "sq", "theme": "education",
    "title": "Kurs i gjuhës sllovene për nëna me fëmijë të vegjël",
    "summary": "Shumë nëna nuk mund ta ndjekin kursin e gjuhës sllovene, sepse nuk kanë kë t'i lënë fëmijët. "
               "Propozoj një kurs me kujdes për fëmijët në të njëjtën ndërtesë.",
    "body": "Gruaja ime dhe shoqet e saj duan të mësojnë sllovenisht, por fëmijët e tyre janë ende të vegjël.",
    "fate": ("changes",
             "Hvala za predlog. Prosimo, dopišite, kje in kdaj naj bi tečaj potekal in kdo bi pazil na otroke, da "
             "lahko preverimo, ali ga lahko izvede Ljudska univerza Idrija. / Thank you: please add where and when "
             "the course would run and who would look after the children."),
}, {
    "key": "parking", "author": "marko", "language": "sl", "theme": "inclusion",
    "title": "Brezplačno parkiranje v središču Idrije za vse prebivalce",
    "summary": "Parkiranje v središču mesta je predrago, zato predlagam, da je za prebivalce občine brezplačno.",
    "fate": ("reject", "off_topic",
             "Parkiranje ne sodi v načrt vključevanja. Predlog lahko pošljete v javno obravnavo odloka o parkiranju, "
             "ki jo vodi Oddelek za gospodarske javne službe."),
}]

SUPPORTS = {"cafe": ["nina", "petra", "amra", "oksana"], "housing-desk": ["mirela", "arben", "james"],
            "tenancies": ["amra", "marko"], "mentors": ["oksana", "petra"], "evening-course": ["arben", "mirela"],
            "swimming": ["amra", "mirela", "nina"], "preschool": ["amra", "mirela", "oksana", "james", "petra"],
            "qualifications": ["arben", "amra", "oksana"], "interpreters": ["oksana", "james", "mirela", "nina"]}
# The votes: the first two closed (the conclusions went to the ministries), the last one open now.
BALLOTS = {
    "qualifications": {"nina": "yes", "marko": "yes", "petra": "yes", "amra": "yes", "mirela": "yes",
                       "arben": "yes", "oksana": "no", "james": "abstain"},
    "interpreters": {"nina": "yes", "petra": "yes", "amra": "yes", "mirela": "yes", "oksana": "yes",
                     "marko": "abstain"},
    "preschool": {"nina": "yes", "amra": "yes", "mirela": "yes", "oksana": "yes", "marko": "no", "petra": "no",
                  "james": "abstain"},
}
CLOSED, OPEN_VOTE = ("qualifications", "interpreters"), "preschool"
OPEN_FOR_DAYS = 13  # the open vote closes at the end of the vote phase

# The deliberation on the open vote: (key, person, alignment, text, key of the comment replied to)
DISCUSSION = [
    ("waited", "mirela", "for",
     "Preselili smo se u oktobru i na mjesto u vrtiću čekali smo do aprila. Bez vrtića nisam mogla prihvatiti "
     "posao koji su mi ponudili.", None),
    ("queue", "marko", "against",
     "Pomoč pri vpisu podpiram, dodatnega oddelka pa ne: na mesto čakajo tudi domače družine. Denar bi raje "
     "porabili za daljši odpiralni čas obstoječih oddelkov.", None),
    ("same-rules", "nina", "for",
     "Dodatni oddelek ni samo za priseljene družine. Mesta se dodelijo po enakih merilih za vse, zato bi se "
     "skrajšala tudi čakalna vrsta domačih družin.", "queue"),
    ("documents", "james", "for",
     "The enrolment form asks for documents newcomers often do not have yet. Help with the form in our own "
     "language would save weeks.", None),
    ("hours", "oksana", "neutral",
     "Підтримую допомогу із записом, але новий відділ коштує дорого. Може, спершу варто подовжити години роботи "
     "вже наявних груп?", "queue"),
    ("cost", "petra", "against",
     "Občina ima letos omejen proračun za vrtce. Najprej naj pripravi oceno stroškov, potem se odločimo o novem "
     "oddelku.", None),
]
ENDORSEMENTS = {"waited": ["amra", "oksana", "petra"], "queue": ["petra", "arben"], "same-rules": ["amra"],
                "documents": ["mirela", "arben"], "cost": ["marko"]}

# The Ministry of Labour's answer to the recognition of qualifications, through its portal account.
MINISTRY = ("vlozisce@mddsz.gov.si", "mddsz")
REPLY = {"status": "partly", "text": (
    "Spoštovani, zahvaljujemo se prebivalcem Občine Idrija za predlog. Elektronsko oddajo vlog in dokazil za "
    "priznanje poklicnih kvalifikacij uvajamo prek portala eUprava v prihodnjem letu. Delo pod mentorstvom med "
    "postopkom bomo preučili s poklicnimi zbornicami in vas o izidu obvestili. Stroškov sodnih prevodov letos ne "
    "moremo kriti, ker zanje v proračunu ni sredstev. Lep pozdrav, Direktorat za trg dela in zaposlovanje.")}
OVERDUE = "interpreters"  # its dossier (Ministry of Health) is past its reply date
OVERDUE_BY_DAYS = 4
TITLES = {item["key"]: item["title"] for item in WORKSHOPS + PROPOSALS}
