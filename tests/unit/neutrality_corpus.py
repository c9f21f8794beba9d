"""A labelled French corpus for the neutrality check (L52-1 al. 2), its split and its measure.

The sentences are what a commune's event texts (title, description, invitation) say in the six months before an
election: half lawful municipal communication of every kind, half partisan or promotional, each in a category of
the case law and of the CNCCFP's guide (the `source` of each category). `neutrality.find` is run on each sentence
with the candidates below declared in the tenant's settings, as an institution's assessment runs it.

Split: within a category, the sentences are paired in the order written ((0, 1), (2, 3)…); of each pair, the one
whose SHA-256 is smaller goes to the tuning half, the other to the held-out half (a last odd one by the parity of
its hash). So each half holds half of every category, who chose a sentence does not choose its half, and adding
sentences at the end of a category never moves the others. Patterns are tuned on the tuning half only; the
held-out half measures them (tests/unit/test_neutrality_corpus.py asserts the targets, bench/neutrality.py prints
both halves).

Measure: a partisan sentence is found when it gets any match (warning or blocking); a lawful one is blocked when
one of its matches is blocking, warned when its worst match is a warning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from chalicelib.domain.electoral.neutrality import Candidate, Match, find, worst_level

Label = Literal["lawful", "partisan"]
Half = Literal["tuning", "held-out"]

# Targets on the held-out half.
RECALL_TARGET = 0.90  # partisan sentences with a finding (warning or blocking)
LAWFUL_BLOCKING_MAX = 0.05  # lawful sentences blocked

# Declared in the tenant's settings: incumbents running again and their opponents, with their campaign sites.
CANDIDATES: tuple[Candidate, ...] = (
    Candidate("Martine Roux", ("roux2026.fr",)),
    Candidate("Bernard Lemoine", ("lemoine-pour-saint-aubin.fr",)),
    Candidate("Sophie Carpentier", ("https://www.ensemble-pour-dol.fr",)),
    Candidate("Karim Benali", ("benali-maire.fr",)),
    Candidate("Jean-Pierre Vasseur", ("vasseur-lannion.fr",)),
    Candidate("Anne-Laure Mercier"),
    Candidate("Thomas Guérin"),
    Candidate("Nathalie Ogier"),
)


@dataclass(frozen=True)
class Category:
    label: Label
    source: str  # the text, decision or guide the category illustrates
    sentences: tuple[str, ...]


CORPUS: dict[str, Category] = {
    # ============================== lawful: information the mairie gives as an administration ===================
    "scrutin_pratique": Category(
        "lawful",
        "Code électoral R40-R67 (the mairie organises the ballot); QE Masson 2007: information without promotion",
        (
            "Les élections municipales auront lieu les dimanches 15 et 22 mars ; les bureaux de vote seront ouverts "
            "de 8 h à 18 h.",
            "Bureaux de vote : le bureau n° 3 est transféré de l'école Jules-Ferry au gymnase municipal pour les deux "
            "tours.",
            "Élections législatives : vérifiez l'adresse de votre bureau de vote sur votre carte électorale.",
            "Procurations : un électeur peut désormais donner procuration à un électeur inscrit dans une autre "
            "commune.",
            "La mairie recherche des assesseurs et des scrutateurs bénévoles pour tenir les bureaux de vote les 9 et "
            "16 avril.",
            "Le dépouillement est public : chacun peut y assister dès la clôture du scrutin à 18 h.",
            "Pour voter, présentez une pièce d’identité avec photo ; la carte électorale n’est pas obligatoire.",
            "Un transport gratuit est proposé aux personnes âgées pour se rendre au bureau de vote le jour du scrutin.",
            "Les résultats du premier tour seront affichés à la mairie et publiés sur le site de la ville dans la "
            "soirée.",
            "Élections européennes du 9 juin : la liste électorale est consultable en mairie aux heures d'ouverture.",
            "Inscription sur les listes électorales : date limite le 6 février pour voter aux élections "
            "départementales et régionales.",
            "Les panneaux d'affichage électoral officiels sont installés devant chaque bureau de vote ; tout affichage "
            "sauvage sera retiré.",
            "Jeunes de 18 ans : vous êtes inscrits d’office sur les listes électorales, votre carte vous sera envoyée "
            "par courrier.",
            "Chaque bureau de vote est accessible aux personnes à mobilité réduite et dispose d'un isoloir adapté.",
            "Le bureau de vote centralisateur se trouve à l’hôtel de ville, salle du conseil municipal.",
            "Second tour de l'élection présidentielle le 25 avril : mêmes bureaux, mêmes horaires qu'au premier tour.",
        ),
    ),
    "consultation": Category(
        "lawful",
        "CGCT L2143-1 (conseils de quartier), L1112-15 s. (consultation locale): participatory democracy, not a ballot",
        (
            "Conseil de quartier : votez pour vos représentants du 2 au 16 octobre à la maison de quartier.",
            "Élection des membres du conseil de quartier Nord : les habitants de plus de 16 ans peuvent voter en "
            "ligne.",
            "Budget participatif 2027 : 42 projets sont soumis au vote des habitants jusqu’au 30 novembre.",
            "Conseil municipal des jeunes : les collégiens éliront leurs douze conseillers le 14 novembre.",
            "Consultation sur le plan de circulation du centre-ville : donnez votre avis en ligne ou en mairie.",
            "Votez pour le nom de la future médiathèque parmi les trois propositions retenues par le jury.",
            "Les candidatures pour siéger au conseil des sages sont ouvertes jusqu'au 15 septembre.",
            "Réunion publique de concertation sur le réaménagement de la place du marché, mardi à 18 h 30, salle "
            "Jean-Moulin.",
            "Conseil citoyen : tirage au sort des habitants volontaires le 3 décembre en séance publique.",
            "Les délégués de quartier seront élus pour trois ans lors de l'assemblée des habitants.",
            "Enquête publique sur le PLU : le commissaire enquêteur tiendra trois permanences en mairie.",
            "Votation citoyenne sur l’extinction de l’éclairage nocturne : un bulletin par foyer, urne à l’accueil de "
            "la mairie.",
            "Élections au conseil municipal des enfants : les CM1 et CM2 voteront dans leur école avec de vraies urnes "
            "et un isoloir.",
            "Consultation locale du 7 juin : les électeurs de la commune se prononceront sur le projet de piscine "
            "intercommunale.",
            "Assemblée de quartier des Capucins : élection du bureau et présentation des projets de l'année.",
            "Atelier participatif : imaginez avec les urbanistes le futur parc des Rives, inscription en mairie.",
        ),
    ),
    "journee_citoyenne": Category(
        "lawful",
        "neutralité: civic life, the population called to take part, not to vote",
        (
            "Journée citoyenne : mobilisez-vous pour nettoyer les berges de la Vienne samedi 5 avril dès 9 h.",
            "Don du sang le 12 mars à la salle des fêtes : chaque don compte !",
            "Téléthon : les associations se mobilisent tout le week-end, venez nombreux soutenir la recherche.",
            "Opération « Nettoyons la nature » : gants et sacs fournis par les services techniques.",
            "Plantons ensemble 300 arbres au parc des Tilleuls : inscription des familles à l'accueil de la mairie.",
            "Mobilisez-vous le 22 avril pour la grande collecte de jouets au profit du Secours populaire.",
            "Chantier participatif : les habitants sont invités à repeindre ensemble le préau de l’école.",
            "Fête des voisins : organisez un moment convivial dans votre rue, la mairie prête tables et bancs.",
            "Collecte de la Banque alimentaire les 28 et 29 novembre dans les supermarchés de la ville.",
            "Tous mobilisés contre le frelon asiatique : signalez les nids à la mairie.",
            "Octobre rose : marche solidaire de 5 km au départ de la place de la République.",
            "Devenez bénévole pour accompagner les aînés isolés cet hiver : réunion d'information au CCAS.",
            "Engagez-vous dans la réserve communale de sécurité civile : réunion d’information le 14 janvier.",
            "Ramassage des déchets sur la plage : rejoignez les écoles et les associations dimanche matin.",
            "Repair café : apportez vos petits appareils en panne, des bénévoles vous aident à les réparer.",
            "Appel aux bonnes volontés pour le fleurissement du village : distribution de plants le 10 mai.",
        ),
    ),
    "culture_sport": Category(
        "lawful",
        "antériorité, régularité: a season's events held as every year are local life",
        (
            "Le festival Jazz en Baie revient du 12 au 15 juillet avec vingt concerts gratuits sur le port.",
            "Exposition « Lumières du Nord » à la galerie municipale jusqu'au 30 mars, entrée libre.",
            "Match de gala de l'ES Villeneuve contre la réserve du Stade rennais samedi à 18 h.",
            "La médiathèque propose une heure du conte chaque mercredi à 10 h 30 pour les 3-6 ans.",
            "Cinéma en plein air au parc du Château : projection vendredi à la tombée de la nuit.",
            "Le semi-marathon partira du stade Léo-Lagrange dimanche à 9 h ; la circulation sera perturbée.",
            "Concert du Nouvel An de l’harmonie municipale le 11 janvier à l’église Saint-Martin.",
            "Salon du livre jeunesse : rencontres avec douze auteurs et illustrateurs samedi et dimanche.",
            "Fête de la musique : scène ouverte aux groupes amateurs, inscriptions jusqu'au 1er juin.",
            "Le club de rugby fête ses cent ans avec un tournoi des écoles de rugby au stade municipal.",
            "Théâtre : la compagnie du Hérisson joue « Le Bourgeois gentilhomme » à l’espace culturel.",
            "Journées européennes du patrimoine : visite guidée de l'hôtel de ville et de la salle des mariages.",
            "Tournoi de pétanque du comité des fêtes : inscriptions en doublettes sur place dès 13 h.",
            "Le conservatoire ouvre ses portes : essayez un instrument et rencontrez les professeurs.",
            "Prix des lecteurs de la médiathèque : votez pour votre roman préféré avant le 15 mai.",
            "Rallye photo dans le vieux bourg : votez pour la plus belle photo sur la page de l'office de tourisme.",
        ),
    ),
    "travaux": Category(
        "lawful",
        "neutralité: a works notice informs users, it does not promote",
        (
            "Travaux de réfection de la chaussée rue Pasteur du 3 au 21 février : circulation alternée.",
            "La piscine municipale sera fermée trois semaines pour la vidange annuelle des bassins.",
            "Déploiement de la fibre : l’opérateur interviendra dans le quartier des Aubépines jusqu’en avril.",
            "Remplacement des canalisations avenue de la Gare : les coupures d'eau seront annoncées 48 h à l'avance.",
            "Le pont de la Garenne est fermé à la circulation pour inspection ; une déviation est mise en place.",
            "Les travaux d'extension de l'école maternelle se poursuivent ; la rentrée se fera dans les nouveaux "
            "locaux.",
            "Élagage des platanes du cours Victor-Hugo : stationnement interdit du lundi au vendredi.",
            "Chantier de la future gendarmerie : réunion d’information des riverains le 6 mars.",
            "Le marché hebdomadaire est déplacé place de l'Église pendant les travaux de la halle.",
            "Mise en accessibilité de la mairie : l'accueil est transféré provisoirement dans l'annexe.",
            "Enfouissement des réseaux rue des Lilas, financé par le syndicat d'énergie et la commune.",
            "La déchetterie intercommunale modifie ses horaires pendant l’agrandissement du quai.",
            "Installation de bornes de recharge pour véhicules électriques sur les parkings du centre.",
            "Réhabilitation du gymnase : les clubs sont relogés à la salle Coubertin jusqu'en juin.",
            "Pose de ralentisseurs route de Saint-Jean, à la demande du conseil de quartier.",
            "Campagne de ravalement obligatoire des façades du centre ancien : aides de la ville aux propriétaires.",
        ),
    ),
    "ceremonies": Category(
        "lawful",
        "the four criteria: a ceremony held as usual; its text neutral (vœux: CE Morhange 1996)",
        (
            "Le maire et le conseil municipal ont le plaisir de vous convier à la cérémonie des vœux le vendredi "
            "9 janvier à 19 h.",
            "Cérémonie du 11 Novembre : rassemblement devant le monument aux morts à 11 h, suivi d'un vin d'honneur.",
            "Madame la Maire présentera ses vœux aux associations et aux forces vives de la commune.",
            "Cérémonie de citoyenneté : remise de leur première carte électorale aux jeunes de 18 ans.",
            "Accueil des nouveaux habitants samedi 20 septembre en mairie : présentation des services et des "
            "associations.",
            "Repas des aînés offert par le CCAS le dimanche 25 janvier à la salle polyvalente.",
            "Commémoration de l’appel du 18 Juin à 18 h devant la stèle du général de Gaulle.",
            "Remise des médailles du travail et de la médaille de la famille en salle du conseil.",
            "Vœux du maire au personnel communal : un moment de convivialité au restaurant scolaire.",
            "Fête nationale : retraite aux flambeaux, bal populaire et feu d'artifice au plan d'eau.",
            "Cérémonie d'hommage aux victimes du terrorisme le 11 mars au jardin du Souvenir.",
            "Inauguration du jardin partagé des Glycines en présence des habitants et des bénévoles de l'association.",
            "Parrainage républicain : cérémonie en mairie le samedi 14 juin.",
            "Le conseil municipal des jeunes déposera une gerbe lors de la cérémonie du 8 Mai.",
            "Réception en l'honneur des sportifs médaillés de la saison, salle d'honneur de l'hôtel de ville.",
            "Arbre de Noël des enfants du personnel : spectacle et goûter le 17 décembre.",
        ),
    ),
    "budget_factuel": Category(
        "lawful",
        "CGCT L2312-1 (débat d'orientation budgétaire), L2121-25 (comptes rendus): factual information on the "
        "collectivité's accounts",
        (
            "Le conseil municipal a adopté le budget primitif 2027 : 14,2 M€ en fonctionnement et 5,1 M€ en "
            "investissement.",
            "Les taux communaux de taxe foncière restent inchangés en 2027, par délibération du 28 mars.",
            "Le rapport d’orientation budgétaire est consultable en mairie et sur le site de la ville.",
            "Débat d'orientation budgétaire à la séance du conseil municipal du 12 février à 20 h.",
            "Compte administratif 2026 : le document est tenu à la disposition du public à l'accueil.",
            "La dotation globale de fonctionnement versée par l'État baisse de 2 % cette année.",
            "Le tarif de la cantine est fixé à 3,20 € le repas à compter du 1er septembre.",
            "Subventions aux associations : les dossiers sont à déposer avant le 31 janvier.",
            "La commune contracte un emprunt de 800 000 € pour la rénovation énergétique des écoles.",
            "Le budget annexe de l’eau est équilibré à 1,3 M€ ; le mètre cube augmente de 4 centimes.",
            "Le conseil municipal a voté à l'unanimité la garantie d'emprunt accordée à l'office HLM.",
            "La chambre régionale des comptes a publié son rapport sur la gestion 2019-2024 ; il sera présenté au "
            "prochain conseil.",
            "Ordre du jour du conseil municipal du 3 avril : vote du budget, tarifs municipaux, questions diverses.",
            "Le budget participatif est doté de 150 000 € ; les projets lauréats seront réalisés en 2027.",
            "Les comptes rendus des séances du conseil municipal sont affichés en mairie et publiés en ligne.",
            "Le conseil communautaire a approuvé le pacte financier et fiscal avec ses communes membres.",
        ),
    ),
    "pratique": Category(
        "lawful",
        "neutralité: practical information about the services",
        (
            "La mairie sera exceptionnellement fermée le samedi 26 décembre.",
            "Collecte des encombrants le premier mardi du mois : inscription obligatoire au service propreté.",
            "Cartes d'identité et passeports : prenez rendez-vous en ligne, les délais sont de six semaines.",
            "Recensement de la population du 15 janvier au 21 février : réservez le meilleur accueil aux agents "
            "recenseurs.",
            "Les inscriptions à la cantine et au périscolaire sont ouvertes sur le portail famille.",
            "Plan grand froid : les personnes isolées peuvent se faire connaître auprès du CCAS.",
            "Stationnement : la zone bleue est étendue à la rue Gambetta à partir du 1er mars.",
            "Vigilance canicule : une salle rafraîchie est ouverte aux personnes fragiles de 14 h à 18 h.",
            "Le service de l’état civil délivre gratuitement les actes de naissance en ligne.",
            "Recensement citoyen : les jeunes doivent se faire recenser dans les trois mois suivant leurs 16 ans.",
            "Le cimetière passe au zéro phyto : les allées seront progressivement enherbées.",
            "Nouveaux horaires de la bibliothèque : ouverture le mardi soir jusqu'à 19 h.",
            "Distribution gratuite de composteurs sur inscription auprès de la communauté de communes.",
            "Les dossiers de mariage sont à déposer en mairie au moins deux mois avant la cérémonie.",
            "Prélèvement de la facture d'eau : retournez le mandat SEPA signé au service des eaux.",
            "La commune recrute un agent des espaces verts : candidature et CV avant le 30 avril.",
        ),
    ),
    "tribune_opposition": Category(
        "lawful",
        "CGCT L2121-27-1 (expression of the councillors outside the majority); TA Cergy-Pontoise 13 déc. 2018",
        (
            "Conformément à l'article L2121-27-1 du CGCT, un espace du bulletin est réservé aux conseillers "
            "n'appartenant pas à la majorité municipale.",
            "Tribunes libres : les textes des groupes du conseil municipal doivent parvenir au service communication "
            "avant le 5 du mois.",
            "Les tribunes des groupes politiques n’engagent que leurs auteurs.",
            "Le règlement intérieur du conseil municipal fixe à 1 500 signes la longueur de la tribune de chaque "
            "groupe.",
            "Pendant la période préélectorale, les groupes d'élus peuvent suspendre leur tribune ; l'espace reste à "
            "leur disposition.",
            "Expression des groupes : le groupe « Agir pour Lannion » n'a pas transmis de texte ce mois-ci.",
            "Le maire, directeur de la publication, ne peut refuser une tribune que si elle est diffamatoire.",
            "Chaque groupe dispose d'un espace égal sur la page « Expression politique » du site de la ville.",
            "Un local commun est mis à la disposition des conseillers municipaux d’opposition qui le demandent.",
            "Les élus de tous les groupes sont invités à la commission des finances du 10 mars.",
            "Jusqu'aux élections, le bulletin municipal ne publiera plus d'éditorial du maire.",
            "Les pages de la ville sur les réseaux sociaux sont soumises aux mêmes règles d'expression que le "
            "magazine municipal.",
            "Les conseillers municipaux peuvent consulter les dossiers de la séance cinq jours francs avant le "
            "conseil.",
            "Les questions orales des groupes seront traitées en fin de séance.",
        ),
    ),
    "regles_campagne": Category(
        "lawful",
        "CGCT L2144-3 (halls lent on equal terms); Code électoral L51 (official posting), L52-1: the rules, stated "
        "for everyone",
        (
            "Les salles municipales peuvent être mises à disposition des associations et des partis politiques qui "
            "en font la demande, aux mêmes conditions pour tous (CGCT, art. L2144-3).",
            "Réservation des salles pour une réunion publique : tarif identique pour tous les demandeurs, formulaire "
            "à l'accueil.",
            "Les demandes de prêt de salle sont traitées par ordre d'arrivée, selon le règlement voté par le conseil.",
            "La salle des fêtes est louée aux particuliers le week-end ; tarif réduit pour les habitants.",
            "Le règlement des salles municipales interdit toute vente sans convention préalable.",
            "Rappel : l’affichage électoral est interdit en dehors des panneaux officiels installés près des bureaux "
            "de vote.",
            "Pendant les six mois qui précèdent le scrutin, la commune réduit sa communication aux informations "
            "pratiques.",
            "Les panneaux d'affichage libre restent à la disposition des associations, dans le respect du règlement.",
            "Le magazine municipal paraîtra aux dates habituelles, sans numéro spécial, jusqu'en avril.",
            "Toute demande d'occupation du domaine public pour un stand doit être déposée quinze jours à l'avance.",
            "La commune rappelle que ses moyens (véhicules, photocopieurs, agents) ne peuvent servir à aucune "
            "campagne.",
            "Les listes candidates pourront retirer en mairie la liste électorale de la commune sur demande écrite.",
            "Le dépôt des déclarations de candidature se fait en préfecture, pas en mairie.",
            "La publication des résultats sur le site de la ville se limitera aux chiffres officiels par bureau.",
        ),
    ),
    "vie_locale": Category(
        "lawful",
        "neutralité: « informative about local life »",
        (
            "Le forum des associations se tiendra le samedi 6 septembre au gymnase, avec plus de 80 clubs.",
            "Une maison de santé pluridisciplinaire ouvrira au printemps avenue de Verdun.",
            "Le CCAS organise des ateliers numériques gratuits pour les seniors le jeudi après-midi.",
            "Le marché de producteurs accueille trois nouveaux exposants tous les vendredis soir.",
            "La navette gratuite du centre-ville circule désormais aussi le samedi.",
            "La commune a obtenu une deuxième fleur au label Villes et villages fleuris.",
            "Le relais petite enfance organise une matinée d’éveil musical pour les assistantes maternelles.",
            "Un médecin généraliste s'installe au cabinet médical de la place de la Poste.",
            "Les élèves de CM2 ont visité le Sénat avec leur enseignante, dans le cadre de l'éducation civique.",
            "La crèche municipale compte dix places supplémentaires depuis le 1er septembre.",
            "Permanence de la conciliatrice de justice le deuxième lundi du mois en mairie.",
            "Les commerçants du centre-ville lancent leur quinzaine commerciale avec une tombola.",
            "L'équipe municipale d'animation jeunesse propose un séjour ski pendant les vacances de février.",
            "Le site internet de la ville permet désormais de signaler un problème de voirie en ligne.",
            "Portes ouvertes des services techniques : découvrez les métiers de la commune.",
            "Le jumelage avec Tavira fête ses vingt ans : accueil de la délégation portugaise en mai.",
        ),
    ),
    "elus_fonctions": Category(
        "lawful",
        "CGCT L2122-18 (delegations), L2122-32 (maire, officier d'état civil): an élu named in his functions",
        (
            "Martine Roux, maire, reçoit les habitants sans rendez-vous le samedi de 10 h à 12 h.",
            "Par arrêté du maire, la consommation d’alcool est interdite sur la voie publique aux abords des écoles.",
            "Bernard Lemoine, adjoint aux sports, remettra les trophées du tournoi de tennis.",
            "Le maire célébrera les mariages du samedi en salle d'honneur pendant les travaux.",
            "Permanences des adjoints de quartier : le calendrier est disponible à l'accueil.",
            "Karim Benali, conseiller délégué à la jeunesse, présidera le jury du concours de graff.",
            "Sophie Carpentier, maire de Dol, et le préfet signeront vendredi la convention France services.",
            "Le maire délègue à ses adjoints ses fonctions d’officier d’état civil.",
            "La délégation aux affaires scolaires est confiée à Mme Nathalie Ogier, quatrième adjointe.",
            "Le conseil municipal a élu Thomas Guérin deuxième adjoint, en remplacement de M. Bréhat.",
            "Les élus de la commission urbanisme visiteront le chantier de la ZAC des Prés avec les riverains.",
            "Le maire a pris un arrêté de péril pour l'immeuble du 12 rue Carnot.",
            "Anne-Laure Mercier, vice-présidente du CCAS, accueillera les convives du repas des aînés.",
            "Jean-Pierre Vasseur, conseiller municipal, représentera la commune au syndicat des eaux.",
            "Le maire et les adjoints recevront les familles des nouveau-nés de l'année en salle d'honneur.",
        ),
    ),
    # ============================== partisan: promotion of the team, candidates, the campaign ===================
    "bilan_flatteur": Category(
        "partisan",
        "L52-1-al2: « promotion publicitaire des réalisations ou de la gestion »; CE Ass. 18 déc. 1996 Paris 16e",
        (
            "Notre maire a tenu ses promesses : la ville n'a jamais été aussi dynamique.",
            "La majorité municipale a transformé la ville.",
            "Sous l'impulsion de notre maire, Saint-Aubin est devenue la commune la plus attractive du département.",
            "Une équipe municipale qui a fait ses preuves, au service de tous les habitants.",
            "Six ans d’action, six ans de résultats : la municipalité a changé le visage du centre-ville.",
            "Le maire et son équipe ont su redresser les finances de la commune sans augmenter les impôts.",
            "Jamais une municipalité n'avait autant investi dans nos écoles.",
            "Avec l'équipe en place, Dol a retrouvé le chemin de la croissance et de la sérénité.",
            "Une gestion rigoureuse et exemplaire, saluée par tous : voilà le bilan de la majorité.",
            "En quelques années, la municipalité a réussi là où tant d'autres avaient échoué.",
            "La ville change, la ville avance : merci à l’équipe municipale pour ce travail remarquable.",
            "Un mandat exemplaire : écoles rénovées, dette réduite, centre-ville embelli.",
            "Notre maire, toujours à l'écoute et sur le terrain, a fait de la sécurité sa priorité, et ça se voit.",
            "La municipalité peut être fière du chemin parcouru depuis 2020.",
            "Redynamisation réussie du centre-ville : un succès à mettre au crédit de l'équipe de Martine Roux.",
            "Le dynamisme retrouvé de Vitré doit beaucoup à l'énergie inlassable de son maire.",
        ),
    ),
    "bilan_chiffre": Category(
        "partisan",
        "L52-1-al2: campaign of the collectivité's achievements; CE 28 juill. 1993 Fourcade (bulletin spécial)",
        (
            "120 logements, 3 écoles, 1 piscine : les réalisations du mandat en un coup d'œil.",
            "Exposition « 6 ans, 60 projets » : découvrez tout ce que la municipalité a accompli depuis 2020.",
            "Zéro hausse d'impôts en six ans : un engagement tenu par l'équipe municipale.",
            "Plus de 15 millions d’euros investis par la municipalité depuis 2020 : du jamais vu à Lannion.",
            "Promesse tenue : la nouvelle médiathèque ouvre ses portes, comme l'équipe s'y était engagée.",
            "Dépliant distribué dans toutes les boîtes : « Ce que nous avons fait pour vous depuis 2020 ».",
            "Le magazine municipal consacre un numéro spécial de 24 pages aux réalisations de la mandature.",
            "La dette a baissé de 30 % depuis notre arrivée à la mairie.",
            "Vidéo : le maire présente les grandes réalisations de son mandat, quartier par quartier.",
            "Toutes les écoles rénovées, comme promis en 2020 !",
            "Réunion publique de fin de mandat : le maire rendra compte de six années d’action.",
            "Le bilan de mi-mandat du maire sera distribué avec le bulletin municipal de février.",
            "Exposition sur le parvis : les douze chantiers phares menés par la majorité depuis 2020.",
            "Deux fois plus de policiers municipaux qu'en 2020 : la sécurité, une promesse tenue.",
            "Quatre crèches ouvertes en un seul mandat : un record pour une ville de notre taille.",
        ),
    ),
    "merite_attribue": Category(
        "partisan",
        "CE Ass. 18 déc. 1996 Paris 16e (favourable presentation of the outgoing team); CNCCFP guide: "
        "communication of the collectivité that benefits a candidate",
        (
            "Grâce à l'action de notre maire, la gendarmerie restera à Saint-Aubin.",
            "C'est grâce à la détermination de l’équipe municipale que la maternité a été sauvée.",
            "Grâce à Martine Roux, le nouveau collège verra le jour en 2028.",
            "Le nouveau gymnase, c'est l'œuvre de la majorité municipale.",
            "Ce chantier a pu aboutir grâce à la ténacité du maire face à l'État.",
            "Sans l'engagement personnel du maire, la ligne de bus n'aurait jamais été prolongée.",
            "Merci à notre maire d'avoir obtenu la fibre pour tous les foyers.",
            "Grâce aux choix courageux de la municipalité, la commune est désendettée.",
            "La piscine rénovée est le fruit du travail acharné de Bernard Lemoine et de son équipe.",
            "Si le centre-ville revit aujourd'hui, c'est grâce à la politique volontariste de la majorité.",
            "Obtenu de haute lutte par le maire : un deuxième médecin pour le village.",
            "Le maire a arraché 2 millions d’euros à la Région pour le lycée : une victoire pour tous.",
            "C'est à l'initiative de Karim Benali que les quartiers nord ont enfin leur maison de santé.",
            "Grâce à l'équipe de la majorité, nos aînés bénéficient désormais d’un transport gratuit.",
        ),
    ),
    "attaque_opposition": Category(
        "partisan",
        "CNCCFP guide (polemical content in institutional media); CE 2015 La Croix-Saint-Leufroy (editorial taking "
        "sides)",
        (
            "Contrairement à l'ancienne municipalité, nous n'avons pas laissé la ville s'endetter.",
            "L’opposition n’a proposé aucune idée en six ans : elle ne mérite pas votre confiance.",
            "Ceux qui critiquent aujourd'hui ont laissé les écoles à l'abandon quand ils étaient aux affaires.",
            "Face aux promesses irréalistes de nos adversaires, nous vous proposons le sérieux.",
            "Les élus d'opposition ont voté contre la baisse des impôts : souvenez-vous-en.",
            "L'ancienne équipe avait vidé les caisses ; nous les avons remplies.",
            "Ne laissons pas la ville retomber entre les mains de ceux qui l'ont ruinée.",
            "Le projet démagogique de la liste adverse mettrait en péril l'avenir de nos enfants.",
            "Pendant que certains polémiquent, le maire agit.",
            "La gauche a échoué partout où elle a gouverné ; à Lannion, nous avons fait mieux.",
            "Nos opposants n’ont qu’un programme : défaire tout ce qui a été construit.",
            "Certains, qui n'ont jamais siégé en commission, prétendent aujourd'hui donner des leçons de gestion.",
            "Souvenez-vous de la hausse de 15 % des impôts décidée par l’équipe précédente.",
            "L'extrême droite ne passera pas par notre ville : faisons barrage.",
        ),
    ),
    "appel_au_vote": Category(
        "partisan",
        "CE 2015 La Croix-Saint-Leufroy (mayor's editorial calling to vote for the outgoing list)",
        (
            "Le 15 mars, votez pour la liste « Saint-Aubin passionnément » conduite par Bernard Lemoine.",
            "Dimanche, un seul bulletin pour continuer à faire avancer Dol : celui de Sophie Carpentier.",
            "Pour que la ville continue d’avancer, je vous demande de renouveler votre confiance à l'équipe sortante.",
            "Au second tour, votez et faites voter pour la continuité.",
            "Donnez une large majorité à l'équipe municipale les 15 et 22 mars.",
            "J'appelle chacun d'entre vous à soutenir Martine Roux aux prochaines élections.",
            "Le 22 mars, choisissez l'expérience et la compétence : choisissez Karim Benali.",
            "Votre voix sera décisive dimanche : ne la gaspillez pas.",
            "En mars, je compte sur vous pour poursuivre ensemble le travail engagé.",
            "Aux départementales, apportez votre soutien au binôme Mercier-Guérin.",
            "Un vote pour Nathalie Ogier, c'est un vote pour la sécurité de nos enfants.",
            "Le 11 juin, mobilisez-vous pour que notre député-maire soit réélu.",
            "Le moment venu, vous saurez reconnaître ceux qui ont agi pour vous.",
            "Mobilisons-nous massivement dans les urnes pour que la ville reste entre de bonnes mains.",
            "Dimanche, faites confiance à ceux qui ont fait leurs preuves.",
        ),
    ),
    "slogan_candidat": Category(
        "partisan",
        "L52-1-al2 and CNCCFP guide: a candidate's slogan in the collectivité's media is promotion of a candidate "
        "(an electoral expense, L52-8 al. 2)",
        (
            "Avec Martine Roux, Villeneuve avance !",
            "Bernard Lemoine, l'énergie d'un maire pour Saint-Aubin.",
            "Sophie Carpentier : la proximité, l'action, la confiance.",
            "Karim Benali, un maire qui vous ressemble.",
            "Dol d'abord, avec Sophie Carpentier !",
            "Ensemble avec Nathalie Ogier, pour une ville plus verte.",
            "Jean-Pierre Vasseur, le choix de l'expérience.",
            "Anne-Laure Mercier et Thomas Guérin : un binôme qui agit pour le canton.",
            "Thomas Guérin, la force du terrain.",
            "Lannion mérite mieux : Jean-Pierre Vasseur maire !",
            "Demain, c’est avec vous et avec Karim Benali.",
            "Villeneuve fière et forte, avec Martine Roux.",
            "Une ville sûre, une ville propre : Bernard Lemoine s'y engage.",
            "Avec Anne-Laure Mercier, le canton d'abord !",
        ),
    ),
    "site_campagne": Category(
        "partisan",
        "CNCCFP guide (sites and social networks of the campaign); L52-8 al. 2 (no support from a legal person)",
        (
            "Retrouvez notre programme complet sur www.roux2026.fr.",
            "Suivez la campagne sur Instagram : @benali_lannion2026.",
            "Toutes les infos du projet sur ensemble-pour-dol.fr.",
            "Partagez vos photos avec #AvecMartine sur les réseaux sociaux.",
            "Inscrivez-vous à la lettre d’information de l’équipe sur lemoine-pour-saint-aubin.fr.",
            "Faites un don à l'association de financement : formulaire sur vasseur-lannion.fr/don.",
            "Rejoignez le groupe Facebook « Saint-Aubin avec Bernard Lemoine ».",
            "Scannez le QR code pour découvrir les propositions de la liste sur carpentier2026.fr.",
            "#Lannion2026 : partagez vos idées pour la ville avec l'équipe de Jean-Pierre Vasseur.",
            "Le programme est téléchargeable sur le site agirpourlannion.fr.",
            "Plus d'infos sur le site de la liste : www.villeneuve-demain.fr.",
            "Retrouvez la profession de foi de Karim Benali sur benali-maire.fr.",
            "Suivez Martine Roux sur X : @MRoux_Maire.",
            "Dons : versez au mandataire financier de la liste, un reçu fiscal vous sera délivré.",
        ),
    ),
    "reunion_partisane": Category(
        "partisan",
        "CGCT L2144-3 (a hall lent is not a municipal event); CNCCFP guide: a party's meeting promoted by the "
        "collectivité's media is a benefit in kind (L52-8 al. 2)",
        (
            "Réunion publique de la liste « Dol en commun » jeudi à 20 h, salle des fêtes.",
            "Le Parti socialiste tiendra sa réunion de section le 14 février à la salle polyvalente.",
            "Meeting de soutien à Martine Roux vendredi soir à l'espace culturel municipal.",
            "Les Républicains de la circonscription organisent un débat à la salle du conseil municipal.",
            "Permanence de l'équipe de campagne de Bernard Lemoine tous les samedis à la maison des associations.",
            "Assemblée générale du comité local de Renaissance à la salle Jean-Moulin.",
            "Apéritif républicain de La France insoumise, samedi à 11 h, préau de l'école Jules-Ferry.",
            "Le comité de soutien de Karim Benali se réunira mardi au centre social municipal.",
            "Venez rencontrer les colistiers de la liste « Villeneuve pour tous » au gymnase municipal.",
            "Soirée-débat du Rassemblement national sur la sécurité à la salle des fêtes de Lannion.",
            "Réunion de quartier de l’équipe de Sophie Carpentier dans la salle annexe de la mairie.",
            "Les Écologistes présentent leurs propositions pour la commune à la maison de quartier des Aubépines.",
            "Fête de la section communiste en présence du candidat, salle Pablo-Neruda.",
            "Congrès départemental du MoDem les 4 et 5 avril au centre des congrès.",
        ),
    ),
    "promesses_mandat": Category(
        "partisan",
        "L52-1-al2 (the collectivité's media are not a campaign's); neutralité: no promotion of candidates",
        (
            "Dans les six prochaines années, nous construirons une piscine olympique et un nouveau collège.",
            "Demain, nous irons encore plus loin pour Saint-Aubin.",
            "Si vous nous renouvelez votre confiance, les transports scolaires seront gratuits dès 2027.",
            "Notre projet pour 2026-2032 : une ville plus verte, plus sûre et plus solidaire.",
            "Nous nous engageons à ne pas augmenter les impôts pendant le prochain mandat.",
            "Prochaine étape : la rénovation complète du quartier de la gare, dès le début du nouveau mandat.",
            "Avec vous, nous continuerons à transformer la ville.",
            "Nos propositions pour les six ans qui viennent seront présentées en février.",
            "Nous ferons de Lannion la ville la plus sûre de Bretagne.",
            "Le meilleur reste à venir : nous avons encore tant de projets pour vous.",
            "Élu, je créerai une police municipale de nuit dès la première année.",
            "Nous poursuivrons la baisse de la dette tout en doublant l'investissement.",
            "Demain, une ville encore plus belle : c’est notre engagement pour les années à venir.",
            "D’ici 2032, chaque quartier aura son jardin partagé : c’est notre promesse.",
        ),
    ),
    "candidature": Category(
        "partisan",
        "neutralité (no promotion of candidates); L52-1 al. 2",
        (
            "Martine Roux a annoncé qu'elle solliciterait un second mandat.",
            "Le maire sortant conduira une liste d'union aux prochaines municipales.",
            "Découvrez les 33 colistiers de la liste « Agir pour Lannion ».",
            "Bernard Lemoine a officialisé sa candidature lors des vœux.",
            "L'adjoint aux finances sera tête de liste en mars prochain.",
            "Portrait de Karim Benali, candidat de la majorité à la mairie.",
            "Après mûre réflexion, j'ai décidé de me présenter à nouveau devant vous.",
            "Anne-Laure Mercier et Thomas Guérin forment le binôme de la majorité pour le canton.",
            "Thomas Guérin est investi par son parti pour les législatives.",
            "La maire brigue un troisième mandat à la tête de la commune.",
            "Nathalie Ogier rejoint la liste conduite par le maire.",
            "Les premiers noms de la liste de la majorité ont été dévoilés ce week-end.",
            "Le maire sera candidat à sa propre succession.",
            "Jean-Pierre Vasseur se lance dans la course à la mairie.",
        ),
    ),
    "tract": Category(
        "partisan",
        "L52-1 al. 1 and al. 2: campaign language (slogans) in the collectivité's communication",
        (
            "Continuons ensemble !",
            "L'avenir de Dol, c'est maintenant, et c'est avec vous !",
            "Ne lâchons rien : Saint-Aubin mérite le meilleur !",
            "Plus que jamais, unis pour Saint-Aubin !",
            "Le changement, c’est maintenant !",
            "Une équipe, un projet, une ambition pour Villeneuve.",
            "Ensemble, écrivons la suite !",
            "Pour une ville qui avance, restons unis derrière notre maire.",
            "Ne laissons pas d'autres défaire ce que nous avons bâti ensemble.",
            "La sécurité, la propreté, la proximité : nos trois priorités pour Lannion.",
            "Faisons gagner Villeneuve !",
            "Rassemblés pour Lannion, au-delà des clivages.",
            "La ville que nous aimons mérite une équipe qui ose.",
            "Avançons ensemble, tournons la page du passé !",
        ),
    ),
    "election_partisane": Category(
        "partisan",
        "QE Masson 2007 (a campaign linked to the election); CE 5 juin 1996 Morhange (ceremony used for the campaign)",
        (
            "À quelques semaines des municipales, venez nombreux saluer le travail accompli par votre maire.",
            "Avant le scrutin de mars, la municipalité vous invite à une grande fête de fin de mandat.",
            "Cérémonie des vœux : le maire y évoquera ses projets pour après les élections.",
            "Les municipales approchent : il est temps de regarder le chemin parcouru ensemble.",
            "Après les élections, si les électeurs nous font confiance, le projet de piscine sera lancé.",
            "Vœux du maire : dernière cérémonie avant la campagne, le maire fera le point sur six ans d’engagement.",
            "Soirée festive offerte par la mairie à la veille du premier tour.",
            "L'équipe municipale vous donne rendez-vous dans les urnes pour prolonger l'aventure.",
            "Les législatives sont l'occasion de rappeler tout ce que notre député-maire a obtenu pour la commune.",
            "Le maire, candidat à sa réélection, inaugurera le nouveau rond-point samedi.",
            "À l'approche des départementales, la commune distribue un livret sur l'action de sa conseillère "
            "départementale.",
            "Grande fête de la ville : un dernier rendez-vous festif avant l’échéance électorale de mars.",
            "Les élections approchent : soyez nombreux à l'inauguration de l'école pour soutenir l'équipe qui l'a "
            "voulue.",
            "Inauguration de la halle : une belle occasion, avant les élections, de mesurer le travail accompli.",
        ),
    ),
    "editorial_maire": Category(
        "partisan",
        "CE 2015 La Croix-Saint-Leufroy (the mayor's editorial in the bulletin); CE Ass. 18 déc. 1996 Paris 16e",
        (
            "Depuis 2020, vous m'avez fait confiance et j'ai tout donné pour notre commune.",
            "Voilà six ans que j'ai l'honneur d'être votre maire, et je suis fier de ce que nous avons bâti.",
            "Je n'ai qu'une ambition : continuer à servir Saint-Aubin avec la même passion.",
            "Quand j’ai été élue en 2020, la ville était à l’arrêt ; aujourd’hui elle rayonne.",
            "Merci pour le soutien que vous m'avez témoigné durant ce mandat ; il ne doit pas s'arrêter.",
            "Mon équipe et moi avons relevé tous les défis, et nous sommes prêts pour la suite.",
            "Chers Villeneuvois, le travail accompli ensemble depuis six ans n'est qu'un début.",
            "J'ai tenu parole : chaque engagement pris devant vous a été respecté.",
            "Je suis fière d'avoir rendu à Dol sa fierté et son attractivité.",
            "En 2020, je vous avais promis une ville plus sûre : c’est chose faite.",
            "Je reste plus que jamais déterminé à poursuivre le travail que nous avons engagé ensemble.",
            "Vous le savez, je ne suis pas de ceux qui promettent sans agir.",
            "Avec mon équipe, nous avons fait plus en six ans que nos prédécesseurs en vingt.",
            "Je vous dois cette ville apaisée ; à vous de décider de la suite.",
        ),
    ),
}


@dataclass(frozen=True)
class Sample:
    text: str
    label: Label
    category: str
    half: Half


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def samples(corpus: dict[str, Category] = CORPUS) -> list[Sample]:
    """Every sentence with its half (see the module docstring: pairs in the order written, the hash decides)."""
    out: list[Sample] = []
    for name, category in corpus.items():
        sentences = category.sentences
        for i in range(0, len(sentences), 2):
            pair = sentences[i : i + 2]
            if len(pair) == 2:
                first, second = sorted(pair, key=_digest)
                out.append(Sample(first, category.label, name, "tuning"))
                out.append(Sample(second, category.label, name, "held-out"))
            else:
                half: Half = "tuning" if int(_digest(pair[0]), 16) % 2 == 0 else "held-out"
                out.append(Sample(pair[0], category.label, name, half))
    return out


Level = Literal["ok", "warning", "blocking"]


@dataclass(frozen=True)
class Result:
    sample: Sample
    level: Level
    matches: tuple[Match, ...]


def run(items: Iterable[Sample], candidates: Sequence[Candidate] = CANDIDATES) -> list[Result]:
    results = []
    for s in items:
        matches = tuple(find({"description": s.text}, candidates))
        results.append(Result(s, worst_level(matches), matches))
    return results


@dataclass
class Score:
    """Counts over some results: partisan found (any level) and lawful warned or blocked."""

    partisan: int = 0
    found: int = 0
    partisan_blocking: int = 0
    lawful: int = 0
    lawful_warning: int = 0
    lawful_blocking: int = 0
    misses: list[Result] = field(default_factory=list)  # partisan with no finding, lawful blocked

    def add(self, r: Result) -> None:
        if r.sample.label == "partisan":
            self.partisan += 1
            self.found += r.level != "ok"
            self.partisan_blocking += r.level == "blocking"
            if r.level == "ok":
                self.misses.append(r)
        else:
            self.lawful += 1
            self.lawful_warning += r.level == "warning"
            self.lawful_blocking += r.level == "blocking"
            if r.level == "blocking":
                self.misses.append(r)

    @property
    def recall(self) -> float:
        return self.found / self.partisan if self.partisan else 1.0

    @property
    def blocking_rate(self) -> float:
        return self.lawful_blocking / self.lawful if self.lawful else 0.0

    @property
    def warning_rate(self) -> float:
        return self.lawful_warning / self.lawful if self.lawful else 0.0


def score(results: Iterable[Result]) -> Score:
    s = Score()
    for r in results:
        s.add(r)
    return s
