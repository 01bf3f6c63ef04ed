"""The sample blog's content: two writers, fifteen posts from 2006 to 2013, one static page.

Paragraphs use a small markup so the text stays readable here: ``[anchor](url)`` is a link,
``{post:slug}`` the URL of another post, ``{root}`` the blog's root URL and backticks mark
code. Comments carry their replies in ``replies``; WordPress ids are assigned at build time in
date order, as WordPress assigns them.
"""

from __future__ import annotations

from sampleblog.model import (
    BlogData,
    BlogLink,
    Category,
    CommentData,
    PageData,
    Person,
    PostData,
    Writer,
)

# Commenters who come back. Some people change address over the years: the same name with a
# new URL is a new (name, url) pair, as a corpus without e-mail addresses must treat it.
MARC = Person(name="Marc Delorme", url="http://marcdelorme.example.net/")
JULIE_GEOCITIES = Person(name="Julie B.", url="http://www.geocities.com/julie_b_lyon/")
JULIE = Person(name="Julie B.", url="http://julieb.example.net/carnet/")
PIERRE_YVES = Person(name="Pierre-Yves")
ANONYMOUS = Person(name=None)
KARIN = Person(name="Karin Olsen", url="http://karinolsen.example.org/")
DAVE_GEOCITIES = Person(name="dave_k", url="http://www.geocities.com/SiliconValley/Vista/4411/")
DAVE = Person(name="dave_k")
SAM = Person(name="Sam Ellery", url="https://samellery.example.com/")
NADIA = Person(name="Nadia Benali", url="http://nadia-benali.example.net/")
OLIVER = Person(name="Oliver Grant")
LEA = Person(name="Léa Fontaine", url="http://leafontaine.example.org/")
# The writers comment under their own user accounts, whose website is their author archive.
HELENE = Person(name="Hélène Marchetti", url="{root}author/helene/")
TOM = Person(name="Tom Whitcombe", url="{root}author/tom/")

OPENING = PostData(
    slug="ouverture-du-carnet",
    title="Ouverture du carnet",
    writer="helene",
    when="2006-03-14 21:40",
    language="fr",
    categories=("carnet", "lyon"),
    tags=("blog", "Croix-Rousse"),
    paragraphs=(
        "Voilà, c'est fait : après des mois à lire les carnets des autres, j'ouvre le mien. "
        "Il parlera de ce qui m'occupe au travail et en dehors, la conservation des documents "
        "numériques, la photographie argentique, les pentes de la Croix-Rousse où j'habite "
        "depuis bientôt dix ans.",
        "Tom, un ami anglais rencontré à un colloque à Londres, écrira ici aussi, en anglais. "
        "Nous ne traduirons pas nos billets : ceux qui lisent les deux langues auront double "
        "ration, les autres la moitié, ce qui est déjà beaucoup.",
        "Pour les curieux, ce carnet tourne sous [WordPress](http://wordpress.org/), hébergé "
        "chez un ami. Les commentaires sont ouverts ; soyez aimables, ou au moins drôles.",
    ),
    comments=(
        CommentData(
            author=MARC,
            when="2006-03-15 08:12",
            html="<p>Bienvenue dans la blogosphère lyonnaise ! J'attends les photos des pentes "
            "avec impatience.</p>",
        ),
    ),
)

PERSONAL_PAGES = PostData(
    slug="les-pages-perso-vont-elles-disparaitre",
    title="Les pages perso vont-elles disparaître ?",
    writer="helene",
    when="2006-06-08 10:15",
    language="fr",
    categories=("archives-du-web",),
    tags=("GeoCities", "mémoire du web"),
    paragraphs=(
        "Depuis quelques semaines, je fais l'inventaire des pages personnelles que je "
        "consultais au début des années 2000. Sur une quarantaine d'adresses notées dans un "
        "vieux carnet, onze répondent encore. Les autres renvoient une erreur, une page "
        "d'hébergeur générique, ou pire, une publicité pour un casino.",
        "Les pages perso des années 1990 étaient hébergées gratuitement chez GeoCities, "
        "Multimania, Chez.com ou les fournisseurs d'accès. Personne n'a jamais promis de les "
        "garder. Quand un service ferme ou change de propriétaire, des milliers de petits "
        "sites partent avec lui, sans bruit. La [Wayback Machine]"
        "(http://www.archive.org/web/web.php) en a capturé une partie, mais rarement les pages "
        "profondes, celles qui contenaient justement l'essentiel.",
        "Un exemple : le site de recettes de ma tante, qui vivait sur [une adresse GeoCities "
        "à rallonge](http://www.geocities.com/Paris/Rue/4512/), n'existe plus que dans trois "
        "captures incomplètes. Les photos n'ont pas été archivées.",
        "Je me demande qui devrait s'en charger. Les bibliothèques nationales commencent à s'y "
        "intéresser (la [BnF](http://www.bnf.fr/) réfléchit au dépôt légal du web), mais les "
        "pages perso sont rarement jugées dignes d'intérêt. Vos avis m'intéressent.",
    ),
    comments=(
        CommentData(
            author=MARC,
            when="2006-06-08 11:02",
            title="Tout à fait d'accord",
            html="<p>J'ai perdu de la même façon la page de mon club de randonnée. Heureusement "
            "j'avais gardé une copie sur disquette, que je n'arrive plus à lire.</p>",
        ),
        CommentData(
            author=JULIE_GEOCITIES,
            when="2006-06-08 13:47",
            title="Ma page est toujours là",
            title_style="line",
            html="Pour l'instant ! Elle est toujours "
            '<a href="http://www.geocities.com/julie_b_lyon/recettes.html">en ligne ici</a>, '
            "sur GeoCities depuis 1999, et je n'y ai pas touché depuis 2002. Je devrais "
            "peut-être la sauvegarder moi-même.",
        ),
        CommentData(
            author=ANONYMOUS,
            when="2006-06-08 22:30",
            html="<p>Le web n'a jamais été fait pour durer. C'est un flux, pas une "
            "bibliothèque.</p>",
        ),
        CommentData(
            author=Person(
                name="Mémoire vive » Les pages perso, un patrimoine en danger",
                url="http://memoirevive.example.net/index.php?2006/06/09/87-les-pages-perso",
            ),
            when="2006-06-09 09:15",
            kind="pingback",
            html="<p>[…] Hélène Marchetti pose la question de la disparition des pages "
            "personnelles et de leur archivage […]</p>",
        ),
        CommentData(
            author=DAVE_GEOCITIES,
            when="2006-06-10 17:05",
            title="Greetings from California",
            html="<p>Sorry to write in English. I run a small page about old calculators on "
            '<a href="http://www.geocities.com/SiliconValley/Vista/4411/hp.html">GeoCities</a> '
            "and I have wondered the same thing.</p>\n"
            "<p>I keep a zip of the whole site on my desk, just in case.</p>",
        ),
        CommentData(
            author=MARC,
            when="2006-06-11 09:40",
            title="Réponse à l'anonyme",
            title_style="line",
            html="Un flux peut-être, mais on archive bien les journaux, qui sont aussi un flux. "
            "La vraie question est plutôt : qui paie ? Le "
            '<a href="http://netpreserve.org/">consortium IIPC</a> commence à y réfléchir.',
        ),
        CommentData(
            author=PIERRE_YVES,
            when="2006-06-14 20:18",
            html="<p>Les fournisseurs d'accès devraient au moins prévenir avant de supprimer les "
            "pages. Chez mon ancien FAI, tout a disparu du jour au lendemain après la "
            "résiliation.</p>",
        ),
    ),
)

SLIDES = PostData(
    slug="scanning-my-grandfathers-slides",
    title="Scanning my grandfather’s slides",
    writer="tom",
    when="2006-11-20 19:30",
    language="en",
    categories=("photographie",),
    tags=("argentique", "sauvegarde"),
    paragraphs=(
        "My grandfather photographed everything between 1958 and 1979, and he photographed it "
        "on Kodachrome. When he died he left eleven carousels and a shoebox of loose slides, "
        "each one labelled in pencil with a date and a place, sometimes with a joke.",
        "I bought a second-hand film scanner and have been working through them in the "
        "evenings. The first lesson: dust is the enemy, and compressed air only moves it "
        "around. The second: scanning at the highest resolution produces files so large that "
        "my old laptop gives up. I have settled on 2400 dpi, saved as TIFF, with a small JPEG "
        "for sharing.",
        "The most useful resource so far has been the [Scantips](http://www.scantips.com/) "
        "site, which explains the arithmetic of resolution better than any manual. I will post "
        "a few of the best pictures here once I have sorted out the colours; Kodachrome does "
        "strange things to reds.",
    ),
    comments=(
        CommentData(
            author=KARIN,
            when="2006-11-21 08:55",
            html="<p>Kodachrome reds are the best reds! My father had the same shoebox. Do you "
            "keep the labels with the scans? We lost half the dates when the slides were "
            "rehoused.</p>",
        ),
        CommentData(
            author=TOM,
            when="2006-11-21 21:03",
            by_post_author=True,
            html="<p>Karin: yes, I type each label into the file name and into the caption "
            "field of the file. Belt and braces.</p>",
        ),
        CommentData(
            author=Person(
                name="Slide & Shutter",
                url="http://slideandshutter.example.com/2006/11/22/dust-and-kodachrome/",
            ),
            when="2006-11-22 14:10",
            kind="trackback",
            html="<p><strong>Dust and Kodachrome</strong></p>\n"
            "<p>Tom Whitcombe is scanning his grandfather’s slides and runs into the usual dust "
            "problem. […]</p>",
        ),
    ),
)

EDITOR = PostData(
    slug="why-i-still-use-a-1998-text-editor",
    title="Why I still use a 1998 text editor",
    writer="tom",
    when="2007-02-05 22:05",
    language="en",
    categories=("logiciels",),
    tags=("old software",),
    paragraphs=(
        "Every few months someone tells me to switch editors, and every few months I try. I "
        "always come back to the same small program I started using in 1998, which fits on a "
        "floppy disk and opens faster than I can lift my hands from the keyboard.",
        "It has no plugins, no project view, no spell checker. What it has is a file format it "
        "has never changed: plain text, saved exactly as typed. Documents I wrote with it at "
        "university still open, which is more than I can say for anything I wrote in a word "
        "processor in the same years. The [Emacs](http://www.gnu.org/software/emacs/) people "
        "will tell you the same thing at greater length.",
        "There is a lesson in there about archives, I think. The tools that last are the ones "
        "that do not try to own your files.",
    ),
    comments=(
        CommentData(
            author=OLIVER,
            when="2007-02-06 10:30",
            html="<p>Which editor is it? You can’t leave us hanging like that.</p>",
        ),
    ),
)

LIBRARY = PostData(
    slug="une-semaine-a-la-bibliotheque-municipale",
    title="Une semaine à la Bibliothèque municipale",
    writer="helene",
    when="2007-09-17 18:20",
    language="fr",
    categories=("lyon", "archives-du-web"),
    tags=("argentique", "sauvegarde"),
    paragraphs=(
        "J'ai passé la semaine dernière dans les réserves de la [Bibliothèque municipale de "
        "Lyon](http://www.bm-lyon.fr/), à la Part-Dieu, pour un projet sur les fonds "
        "photographiques. Les magasins sont immenses, frais et silencieux ; on y perd vite la "
        "notion du temps.",
        "Ce qui m'a frappée, c'est le contraste entre les tirages des années 1900, parfaitement "
        "lisibles, et les CD-R gravés en 1998 par un photographe du quartier, dont un tiers ne "
        "se lit déjà plus. Le papier attend ; le numérique, lui, exige qu'on s'en occupe tout "
        "le temps.",
        "J'en reparlerai, car le projet ne fait que commencer.",
    ),
    comments=(
        CommentData(
            author=LEA,
            when="2007-09-18 12:44",
            html="<p>Les CD-R, quelle plaie ! Nous avons eu le même problème au service "
            "d'archives de la ville. Merci pour ce billet.</p>",
        ),
    ),
)

LINK_ROT = PostData(
    slug="link-rot-measured",
    title="Link rot, measured",
    writer="tom",
    when="2008-04-02 09:00",
    updated="2008-04-05 16:30",
    language="en",
    categories=("archives-du-web",),
    tags=("link rot", "research"),
    paragraphs=(
        "Out of curiosity I wrote a little script to check every external link on this blog "
        "and on two others I read. The result, for links less than two years old: about one "
        "in twelve no longer works. For the oldest links on the other blogs, from 2003, it is "
        "closer to one in three.",
        "Dead links come in three flavours. Some return a plain 404. Some redirect to a home "
        "page, which looks like success to a naive checker. The worst return a page that says "
        "everything is fine but shows something else entirely, usually because the domain has "
        "been bought by someone selling ads. Hélène’s [post about personal pages]"
        "({post:les-pages-perso-vont-elles-disparaitre}) covered the human side of this.",
        "If you want to check your own site, the [W3C link checker]"
        "(http://validator.w3.org/checklink) is a good start, though it only catches the first "
        "flavour. Update: several readers asked for the script; it is too ugly to share, but "
        "the method is described in the comments.",
    ),
    comments=(
        CommentData(
            author=SAM,
            when="2008-04-02 11:20",
            html="<p>One in twelve feels low. Did you count soft 404s as dead?</p>",
        ),
        CommentData(
            author=TOM,
            when="2008-04-02 12:05",
            by_post_author=True,
            html="<p>Sam: I counted them by hand for the small sample, which is why the number "
            "is so small. The script fetches each link, then compares the title of the page "
            "with the anchor text; if they share no words, I look myself.</p>",
        ),
        CommentData(
            author=KARIN,
            when="2008-04-03 19:47",
            html='<p>I tried something similar with <a href="http://www.archive.org/">the '
            "Wayback Machine</a> as a fallback: for most dead links there is a copy, but often "
            "only of the home page.</p>",
        ),
        CommentData(
            author=MARC,
            when="2008-04-05 09:12",
            html="<p>Excellent. Je vais faire le même test sur mon site, je crains le "
            "résultat.</p>",
        ),
    ),
)

TRABOULES = PostData(
    slug="photographier-les-traboules",
    title="Photographier les traboules",
    writer="helene",
    when="2008-10-11 15:00",
    language="fr",
    categories=("photographie", "lyon"),
    tags=("argentique", "Croix-Rousse"),
    paragraphs=(
        "Les traboules de la Croix-Rousse sont un cauchemar de photographe : trop sombres pour "
        "la pellicule lente, trop contrastées pour la rapide, et toujours quelqu'un qui passe "
        "au mauvais moment. J'y retourne pourtant chaque automne.",
        "Cette année, j'ai essayé une pellicule à 400 ISO poussée à 1600, avec un pied posé sur "
        "les marches de la [cour des Voraces](http://fr.wikipedia.org/wiki/Cour_des_Voraces). "
        "Le grain est énorme, mais il convient bien à ces vieilles pierres. Les tirages sont "
        "accrochés dans le couloir, en attendant mieux.",
        "Si vous passez par là, respectez les habitants : ce sont des passages privés ouverts "
        "par tolérance, pas des décors.",
    ),
)

GEOCITIES = PostData(
    slug="geocities-closes-today",
    title="GeoCities closes today",
    writer="tom",
    when="2009-10-26 20:45",
    language="en",
    categories=("archives-du-web",),
    tags=("GeoCities", "link rot"),
    paragraphs=(
        "Yahoo switches off GeoCities today. Three years ago Hélène asked [whether personal "
        "pages would disappear]({post:les-pages-perso-vont-elles-disparaitre}); now we know "
        "the answer for some thirty million of them.",
        "Not everything is lost. The [Archive Team]"
        "(http://www.archiveteam.org/index.php?title=GeoCities) has spent the summer "
        "downloading as much as it could, and the [Internet Archive](http://www.archive.org/) "
        "has its own copy. Both are incomplete, and the copies will be hard to browse, but "
        "they exist, which is more than anyone expected in 2006.",
        "I checked the two GeoCities pages that commented here back then. One was rescued by "
        "its owner; the other is gone.",
    ),
    comments=(
        CommentData(
            author=SAM,
            when="2009-10-26 22:10",
            html="<p>End of an era. I learned HTML by viewing the source of GeoCities pages.</p>",
        ),
        CommentData(
            author=Person(
                name="Carnet de Léa » Adieu GeoCities",
                url="http://leafontaine.example.org/2009/10/27/adieu-geocities/",
            ),
            when="2009-10-27 08:30",
            kind="pingback",
            html="<p>[…] Tom Whitcombe rappelle que GeoCities ferme aujourd'hui et que les "
            "archivistes ont fait de leur mieux […]</p>",
        ),
        CommentData(
            author=JULIE,
            when="2009-10-27 12:15",
            html="<p>La page sauvée, c'est la mienne ! J'ai déménagé mes recettes sur mon propre "
            'domaine au printemps, grâce au <a href="{post:les-pages-perso-vont-elles-'
            "disparaitre}\">billet d'Hélène</a>.</p>",
        ),
        CommentData(
            author=DAVE,
            when="2009-10-28 03:40",
            html="<p>My calculator pages were in the Archive Team grab, I checked. Strange "
            "feeling to see them frozen like that.</p>",
        ),
    ),
)

WGET = PostData(
    slug="mon-premier-wget-mirror",
    title="Mon premier wget --mirror",
    writer="helene",
    when="2010-05-30 16:10",
    language="fr",
    categories=("logiciels", "archives-du-web"),
    tags=("sauvegarde", "link rot"),
    paragraphs=(
        "Après avoir lu Tom sur [les liens morts]({post:link-rot-measured}), j'ai décidé de "
        "sauvegarder moi-même les sites auxquels je tiens. L'outil le plus simple reste [GNU "
        "Wget](http://www.gnu.org/software/wget/), avec son option `--mirror`.",
        "La commande tient en une ligne, mais les pièges sont nombreux : il faut ajouter "
        "`--convert-links` pour que la copie soit consultable hors ligne, `--page-requisites` "
        "pour récupérer les images, et surtout `--wait` pour ne pas assommer le serveur. Un "
        "petit site de deux cents pages m'a pris une heure, à une requête toutes les deux "
        "secondes.",
        "Le résultat est un dossier que j'ouvre dans le navigateur comme si j'étais en 2010 "
        "pour toujours. C'est rassurant et un peu mélancolique.",
    ),
    comments=(
        CommentData(
            author=MARC,
            when="2010-05-30 18:02",
            title="Attention au robots.txt",
            html="<p>Wget respecte le fichier robots.txt par défaut, ce qui est bien, mais il "
            "faut le savoir quand la copie revient vide.</p>",
        ),
        CommentData(
            author=NADIA,
            when="2010-06-01 10:15",
            html="<p>Merci ! Je cherchais justement comment garder une copie du site de notre "
            "association avant qu'il ne change d'hébergeur.</p>",
        ),
    ),
)

FEEDS = PostData(
    slug="the-feed-reader-diaries",
    title="The feed reader diaries",
    writer="tom",
    when="2011-01-09 11:30",
    language="en",
    categories=("logiciels",),
    tags=("old software", "blog"),
    paragraphs=(
        "I follow about ninety blogs through RSS. Half of them have not posted in a year, but I "
        "keep them, the way you keep the phone number of a friend who has moved abroad.",
        "Feeds are the quiet infrastructure of blogging. A feed tells you when something new "
        "appears, who wrote it and when, in a format that has barely changed since 2002. If "
        "you want the details, the [RSS 2.0 specification]"
        "(http://www.rssboard.org/rss-specification) is short and readable.",
        "My resolution for the year is to comment more, instead of reading silently. We will "
        "see how long that lasts.",
    ),
)

# The long discussion: threads three levels deep, more top-level threads than one comment
# page holds, so WordPress splits it over /comment-page-2/.
ARCHIVING_COMMENTS = PostData(
    slug="faut-il-archiver-les-commentaires",
    title="Faut-il archiver les commentaires ?",
    writer="helene",
    when="2011-11-16 09:30",
    language="fr",
    categories=("archives-du-web", "carnet"),
    tags=("commentaires", "mémoire du web", "blog"),
    comments_open=True,
    paragraphs=(
        "Quand on parle d'archiver un blog, on pense aux billets. Pourtant, sur bien des "
        "carnets, le plus intéressant se trouve dessous : les commentaires, où les lecteurs "
        "corrigent, contredisent, racontent leurs propres histoires. Relisez les sept "
        "réactions à [mon billet de 2006 sur les pages perso]"
        "({post:les-pages-perso-vont-elles-disparaitre}) : elles en disent plus que le billet "
        "lui-même.",
        "Or les commentaires sont fragiles. Ils dépendent d'une base de données, d'un système "
        "anti-spam, parfois d'un service extérieur qui peut fermer. Les robots d'archivage les "
        "capturent mal, surtout quand ils sont répartis sur plusieurs pages. Tom a montré "
        "[combien les liens meurent vite]({post:link-rot-measured}) ; les conversations "
        "meurent plus vite encore.",
        "Mais archiver les commentaires pose aussi une question de respect : ceux qui les ont "
        "écrits ne pensaient pas forcément laisser une trace durable. Faut-il leur demander "
        "leur avis ? Anonymiser ? Je n'ai pas de réponse, et j'aimerais lire les vôtres. Le "
        "site de la [Digital Preservation Coalition](http://www.dpconline.org/) est un bon "
        "point de départ.",
    ),
    comments=(
        CommentData(
            author=MARC,
            when="2011-11-16 10:12",
            html="<p>Archiver, oui, mais en gardant le contexte : un commentaire sans le billet "
            "et sans les réponses ne veut plus rien dire.</p>",
            replies=(
                CommentData(
                    author=HELENE,
                    when="2011-11-16 12:40",
                    by_post_author=True,
                    html="<p>D'accord, Marc. C'est bien le problème des outils qui découpent "
                    "tout en morceaux.</p>",
                    replies=(
                        CommentData(
                            author=MARC,
                            when="2011-11-16 18:05",
                            html="<p>Et des outils qui perdent qui répond à qui, ce qui est "
                            "pire encore.</p>",
                        ),
                    ),
                ),
            ),
        ),
        CommentData(
            author=KARIN,
            when="2011-11-16 11:03",
            html="<p>Sorry for commenting in English. In Norway the national library has "
            "harvested blogs for years, comments included, as far as I know.</p>",
            replies=(
                CommentData(
                    author=TOM,
                    when="2011-11-16 21:30",
                    html="<p>Karin, do you know if they keep the threading? Most harvests I "
                    "have seen flatten it.</p>",
                ),
            ),
        ),
        CommentData(
            author=LEA,
            when="2011-11-16 14:25",
            title="Un avis d'archiviste",
            title_style="line",
            html="Les fonds d'archives contiennent des lettres privées que leurs auteurs "
            "n'imaginaient pas publiques. On les communique avec des délais. Pourquoi pas les "
            "commentaires ?",
        ),
        CommentData(
            author=Person(
                name="Lignes de fuite » Les commentaires, ces archives oubliées",
                url="http://lignesdefuite.example.net/2011/11/17/commentaires-archives-oubliees/",
            ),
            when="2011-11-17 07:50",
            kind="pingback",
            html="<p>[…] Sur le Carnet de la Croix-Rousse, Hélène Marchetti se demande s'il faut "
            "archiver les commentaires de blogs […]</p>",
        ),
        CommentData(
            author=SAM,
            when="2011-11-17 13:15",
            html="<p>As someone whose teenage comments are still out there: please do archive "
            "them, but let me find them first so I can apologise.</p>",
            replies=(
                CommentData(
                    author=MARC,
                    when="2011-11-17 15:40",
                    html="<p>Sam, nous avons tous des commentaires de 2004 à nous faire "
                    "pardonner.</p>",
                    replies=(
                        CommentData(
                            author=SAM,
                            when="2011-11-17 16:02",
                            html="<p>Glad I’m not alone. Mine involve a lot of exclamation "
                            "marks.</p>",
                        ),
                    ),
                ),
            ),
        ),
        CommentData(
            author=JULIE,
            when="2011-11-18 09:05",
            html="<p>Mes recettes déménagées en 2009 ont perdu tous leurs commentaires dans "
            "l'opération. Je le regrette aujourd'hui.</p>",
        ),
        CommentData(
            author=OLIVER,
            when="2011-11-19 20:20",
            html="<p>The technical side is the easy part. Who owns a comment: the commenter or "
            "the blog?</p>",
        ),
        CommentData(
            author=ANONYMOUS,
            when="2011-11-20 23:10",
            html="<p>Moi, je préfère que mes commentaires disparaissent. Le droit à l'oubli, ça "
            "existe.</p>",
        ),
        CommentData(
            author=NADIA,
            when="2011-11-22 10:30",
            title="Retour d'expérience",
            html='<p>Nous avons archivé le forum de notre association avec <a href="'
            "http://www.httrack.com/\">HTTrack</a>. Les messages sont là, mais l'ordre des "
            "réponses est perdu dès qu'un fil s'étale sur plusieurs pages.</p>",
            replies=(
                CommentData(
                    author=HELENE,
                    when="2011-11-22 14:05",
                    by_post_author=True,
                    html="<p>Merci Nadia, c'est exactement le problème des commentaires "
                    "paginés. Ce carnet fait la même chose au-delà de huit fils.</p>",
                ),
            ),
        ),
        CommentData(
            author=PIERRE_YVES,
            when="2011-11-24 19:45",
            html="<p>Question naïve : pourquoi ne pas simplement exporter la base de données ?</p>",
            replies=(
                CommentData(
                    author=LEA,
                    when="2011-11-25 08:30",
                    html="<p>Parce qu'une base sans le logiciel qui l'affiche est difficile à "
                    "lire dans vingt ans. Les deux copies sont utiles.</p>",
                    replies=(
                        CommentData(
                            author=PIERRE_YVES,
                            when="2011-11-25 12:10",
                            html="<p>Vu comme ça, d'accord. Merci !</p>",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

WORKSHOP = PostData(
    slug="notes-from-a-web-archiving-workshop",
    title="Notes from a web archiving workshop",
    writer="tom",
    when="2012-03-08 17:45",
    language="en",
    categories=("archives-du-web",),
    tags=("research", "commentaires"),
    paragraphs=(
        "I spent two days at a small workshop on web archives in London, mostly with "
        "librarians and a few historians. The historians were the most impatient: they want to "
        "search archived blogs the way they search newspapers, by person, by date, by who "
        "replied to whom.",
        "The librarians explained why that is hard. Crawlers collect pages, not conversations; "
        "a comment becomes a few lines of text somewhere in a page, with its author and date "
        "mixed into the layout. Turning that back into records is a job nobody has fully "
        "solved. The [IIPC](http://netpreserve.org/) has working groups on it.",
        "I came back with a list of things to try on this very blog, starting with [the "
        "comments Hélène collected in November]({post:faut-il-archiver-les-commentaires}).",
    ),
    comments=(
        CommentData(
            author=KARIN,
            when="2012-03-09 07:15",
            html="<p>Was the workshop recorded? I would love to see the historians’ talks.</p>",
        ),
    ),
)

PHOTO_2012 = PostData(
    slug="bilan-photographique-2012",
    title="Bilan photographique 2012",
    writer="helene",
    when="2012-12-20 21:00",
    language="fr",
    categories=("photographie",),
    tags=("argentique",),
    paragraphs=(
        "Cette année, quarante-deux pellicules, dont une bonne moitié en noir et blanc. Le "
        "laboratoire de la rue d'Austerlitz a fermé en juin ; je développe désormais moi-même, "
        "dans la salle de bains, avec des résultats inégaux.",
        "Mes trois préférées : un marché de la Croix-Rousse sous la pluie, la Saône gelée en "
        "février, et un portrait de Tom qui fait semblant de lire [Le Monde]"
        "(http://www.lemonde.fr/) pour avoir l'air français.",
        "L'an prochain, j'aimerais scanner tout cela proprement, et pourquoi pas le mettre en "
        "ligne.",
    ),
    comments=(
        CommentData(
            author=TOM,
            when="2012-12-21 09:40",
            html="<p>For the record, I was actually reading it. Slowly.</p>",
        ),
    ),
)

MOVING = PostData(
    slug="moving-the-blog-to-a-new-server",
    title="Moving the blog to a new server",
    writer="tom",
    when="2013-04-22 22:15",
    language="en",
    categories=("carnet",),
    tags=("blog", "link rot"),
    comments_open=True,
    paragraphs=(
        "The friend who has hosted this blog since [the very first post in 2006]"
        "({post:ouverture-du-carnet}) is retiring his server, so we are moving. If you are "
        "reading this, the move worked.",
        "Everything came across: posts, comments, pingbacks, even the broken links we never "
        "fixed. We kept the same addresses, because changing them would break every link that "
        "points here, and after [what I wrote about link rot]({post:link-rot-measured}) that "
        "would be embarrassing.",
        "If anything looks wrong, leave a comment below. We also added a [sitemap]"
        "({root}sitemap.xml) for the search engines, which feels very 2013.",
    ),
    comments=(
        CommentData(
            author=SAM,
            when="2013-04-23 08:05",
            html="<p>Works for me. The feed came through too.</p>",
        ),
        CommentData(
            author=NADIA,
            when="2013-04-24 12:30",
            title="Petit souci",
            title_style="line",
            html="Les images du billet sur les traboules ne s'affichent plus chez moi. Ou alors "
            "c'est mon navigateur ?",
        ),
    ),
)

SEVEN_YEARS = PostData(
    slug="sept-ans-de-carnet",
    title="Sept ans de carnet",
    writer="helene",
    when="2013-06-14 18:00",
    language="fr",
    categories=("carnet",),
    tags=("blog", "commentaires"),
    comments_open=True,
    paragraphs=(
        "Sept ans ! Quand j'ai [ouvert ce carnet]({post:ouverture-du-carnet}) en mars 2006, je "
        "pensais tenir six mois. Nous écrivons peu, et lentement, mais les lecteurs sont "
        "restés.",
        "Ce qui me rend fière, ce sont les conversations : [la discussion sur l'archivage des "
        "commentaires]({post:faut-il-archiver-les-commentaires}) a duré deux semaines et "
        "s'étale maintenant sur deux pages. Merci à Marc, Karin, Léa, Sam, Nadia et tous les "
        "autres.",
        "Pour fêter cela, nous avons enfin déposé une copie du carnet à l'[Internet Archive]"
        "(http://www.archive.org/). Rendez-vous dans sept ans.",
    ),
    comments=(
        CommentData(
            author=MARC,
            when="2013-06-14 19:30",
            title="Joyeux anniversaire",
            html="<p>Et merci à vous deux. Sept ans, c'est une éternité sur le web.</p>",
        ),
    ),
)

ABOUT = PageData(
    slug="about",
    title="À propos",
    writer="helene",
    when="2006-03-14 20:00",
    language="fr",
    paragraphs=(
        "Ce carnet est tenu depuis 2006 par Hélène Marchetti, archiviste à Lyon, et Tom "
        "Whitcombe, développeur et photographe amateur, installé à Londres puis à Lyon. Hélène "
        "écrit en français, Tom en anglais.",
        "On y parle d'archives du web, de photographie argentique, de vieux logiciels et de la "
        "Croix-Rousse. Les textes sont publiés sous licence Creative Commons BY-SA ; les "
        "commentaires restent la propriété de leurs auteurs.",
    ),
)

BLOG = BlogData(
    title="Carnet de la Croix-Rousse",
    tagline="Archives du web, photographie et vieux logiciels, en français and in English",
    writers=(
        Writer(slug="helene", name="Hélène Marchetti"),
        Writer(slug="tom", name="Tom Whitcombe"),
    ),
    categories=(
        Category(slug="archives-du-web", name="Archives du web"),
        Category(slug="carnet", name="Carnet"),
        Category(slug="logiciels", name="Logiciels"),
        Category(slug="lyon", name="Lyon"),
        Category(slug="photographie", name="Photographie"),
    ),
    posts=(
        OPENING,
        PERSONAL_PAGES,
        SLIDES,
        EDITOR,
        LIBRARY,
        LINK_ROT,
        TRABOULES,
        GEOCITIES,
        WGET,
        FEEDS,
        ARCHIVING_COMMENTS,
        WORKSHOP,
        PHOTO_2012,
        MOVING,
        SEVEN_YEARS,
    ),
    pages=(ABOUT,),
    blogroll=(
        BlogLink(
            url="http://www.archive.org/",
            name="Internet Archive",
            description="La bibliothèque du web",
        ),
        BlogLink(
            url="http://www.archiveteam.org/",
            name="Archive Team",
            description="Ceux qui sauvent les sites qui ferment",
        ),
        BlogLink(
            url="http://www.dpconline.org/",
            name="Digital Preservation Coalition",
            description="Preservation, in practice",
        ),
        BlogLink(
            url="http://leafontaine.example.org/",
            name="Carnet de Léa",
            description="Une archiviste à Villeurbanne",
        ),
        BlogLink(
            url="http://karinolsen.example.org/",
            name="Karin Olsen",
            description="Photographs from Bergen",
        ),
    ),
)
