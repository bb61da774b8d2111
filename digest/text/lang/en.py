"""English."""

from digest.text.lang import Language, given_names

LANGUAGE = Language(
    code="en",
    name="English",
    stopwords=frozenset(
        "the and of to in is that for it with was on as he she by at from his her have has are were be "
        "this which or an not but they said would their will been who after about more also its we you "
        "had than when into there what could should over however meanwhile yesterday today tomorrow later "
        "earlier then now still also but while although after before since between during against around "
        "without like including until through amid amidst among across toward towards upon within beyond "
        "despite except via".split()
    ),
    quote_pairs=(("“", "”"), ('"', '"'), ("‘", "’"), ("'", "'")),
    cue_verbs=frozenset(
        "said says say told tells added adds explained explains stated states noted notes asked asks replied "
        "replies wrote writes insisted insists argued argues warned warns declared declares claimed claims "
        "continued continues recalled recalls acknowledged acknowledges admitted admits announced announces "
        "commented comments concluded concludes confirmed confirms emphasised emphasized stressed stresses "
        "observed remarked suggested suggests urged urges tweeted posted quipped joked recounted "
        "responded responds answered answers told predicted predicts cautioned vowed promised pledged "
        "reiterated reiterates exclaimed shouted whispered mused conceded concedes lamented complained "
        "agreed agrees maintained maintains countered contends contended asserted asserts".split()
    ),
    cue_phrases=("according to", "in the words of", "in a statement", "quoted as saying"),
    cue_preps=frozenset(),
    pronouns={"he": "m", "she": "f", "they": "p"},
    determiners=frozenset("the a an this that its his her their our in of on at for from by with".split()),
    name_nouns=frozenset(
        "book novel film movie album song single title titled entitled motto slogan campaign programme "
        "program show series report study headline magazine newspaper journal exhibition play called named "
        "dubbed nicknamed branded podcast column documentary opera poem".split()
    ),
    particles=frozenset("de da di van von der del la le bin al".split()),
    honorifics=frozenset("mr mrs ms miss dr prof sir dame lord lady".split()),
    role_words=frozenset(
        "councillor councilman councilwoman councilor chancellor analyst economist spokesman official "
        "president secretary minister prime chancellor general chief director senator governor mayor judge "
        "professor captain coach manager spokesman spokeswoman spokesperson ceo chairman chairwoman chair "
        "state foreign defence defense interior finance justice health commissioner ambassador "
        "representative rep sen gov deputy vice executive officer head leader king queen prince princess "
        "pope cardinal bishop archbishop sheriff detective inspector superintendent commander colonel "
        "lieutenant sergeant admiral owner founder candidate nominee sec us u.s uk eu un nato col gen lt sgt capt"
        " cmdr adm".split()
    ),
    abbreviations=frozenset(
        "mr mrs ms dr prof sr jr st mt gen gov sen rep lt col sgt capt cmdr adm jan feb mar apr jun jul aug "
        "sep sept oct nov dec no vs etc inc ltd co corp u.s u.k u.n e.g i.e a.m p.m approx dept est fig ft "
        "vol".split()
    ),
    relative_time=(r"\b\d+\s+(?:sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago\b",),
    article_end=(
        r"related(?: articles| stories| posts| content| news| topics)?",
        r"more (?:from|on|stories|news|in)\b.{0,30}",
        r"you (?:may|might) (?:also )?like",
        r"recommended(?: for you)?",
        r"(?:leave a |post a )?(?:comments?|reply)",
        r"about the author",
        r"on our radar",
        r"related roundups?\b.{0,40}",
        r"top rated comments",
        r"what to read next",
        r"latest (?:news|stories|headlines)",
        r"tags?",
        r"trending(?: now| news| stories| videos)?",
        r"most (?:popular|read)",
        r"newsletter",
        r"sign up.{0,40}",
    ),
    first_names=given_names(
        """aaron adam alan albert alexander andrew anthony arthur austin barack ben benjamin bernie bill billy bob bobby brandon brian bruce bryan carl charles chris christian christopher corey daniel david dennis dick donald douglas dylan edward elijah eric ethan eugene frank gabriel gary george gerald gregory harold henry jack jacob james jason jeb jeffrey jeremy jerry jesse jim joe john jonathan jordan jose joseph joshua juan justin keith kenneth kevin kyle larry lawrence logan louis marco mark mason matthew michael mike mitt nathan newt nicholas noah patrick paul peter philip ralph rand randy raymond reince richard rick robert roger ron ronald roy rudy russell ryan samuel scott sean stephen steven ted terry thomas tim timothy tom tyler vincent walter wayne william willie zachary""",
        """abigail alexis alice amanda amber amy andrea angela ann anna ashley barbara betty beverly brenda brittany carly carol carolyn catherine charlotte cheryl christina christine condoleezza cynthia danielle deborah debra denise diana diane donna doris dorothy elise elizabeth emily emma evelyn frances gloria grace hannah heather helen hillary hope huma isabella ivanka jacqueline janet janice jean jennifer jessica joan joyce judith judy julie karen katherine kathleen kathryn kayla kelly kimberly laura lauren linda lisa loretta lori madison margaret maria marie marilyn martha mary megan melania melissa michelle nancy natalie nicole nikki olivia pamela patricia rachel rebecca ruth samantha sandra sara sarah sharon shirley sophia stephanie susan teresa theresa victoria virginia""",
    ),
    weekdays=frozenset("monday tuesday wednesday thursday friday saturday sunday".split()),
    not_names=frozenset(
        "yet though although like following regarding rival speaking appearing showing asked when while after before during despite unlike instead meanwhile "
        "even ever each every both two three several many some most last next another other finally likewise "
        "according republican republicans democrat democrats americans muslims christians conservatives "
        "liberals under given beyond signs hours".split()
    ),
    places=frozenset(
        [
            *"alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii"
            " idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan"
            " minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania"
            " tennessee texas utah vermont virginia wisconsin wyoming america europe asia africa"
            " china russia mexico canada france germany britain england scotland ireland italy spain japan"
            " india iran iraq syria israel egypt turkey ukraine cuba brazil israel afghanistan pakistan"
            " libya yemen lebanon jordan venezuela australia greece poland sweden norway".split(),
            "new hampshire",
            "new jersey",
            "new mexico",
            "new york",
            "new york city",
            "north carolina",
            "south carolina",
            "north dakota",
            "south dakota",
            "rhode island",
            "west virginia",
            "puerto rico",
            "united states",
            "united kingdom",
            "great britain",
            "saudi arabia",
            "north korea",
            "south korea",
            "new zealand",
            "south africa",
            "los angeles",
            "san francisco",
            "las vegas",
            "silicon valley",
            "wall street",
            "capitol hill",
            "des moines",
            "saudi",
        ]
    ),
    institutions=frozenset(
        "party league committee association university college school department club magazine journal"
        " newspaper network channel agency commission council foundation institute corporation company"
        " group union church court post times news".split()
    ),
    place_words=frozenset(
        "sea ocean river lake county valley island islands mountains mountain coast bay street avenue"
        " airport square beach park point".split()
    ),
    months=frozenset(
        "january february march april may june july august september october november december".split()
    ),
    boilerplate=(
        r"(?:we(?:['’]ve| have) detected (?:that )?you|you(?:['’]re| are) using an? (?:outdated|unsupported|old)"
        r" browser|your browser is (?:out of date|not supported))\b.{0,200}$",  # a browser warning
        r"something went wrong\b.{0,100}$",  # an interface's error message
        r"additional reporting by\b.{0,80}$",
        r"on [\w-]+\.(?:com|org|net|co\.uk)\s*:.{0,160}$",  # a teaser on the site: "On Example.com: …"
        r"(?:in )?this (?:[\w.]+ \d{1,2}, \d{4},? )?(?:file|handout) (?:photo|image|picture)\b.{0,160}$",
        r"this (?:illustration|artist['’]s (?:concept|rendering|illustration)) shows\b.{0,160}$",
        r"an artist['’]s (?:concept|rendering|illustration|impression) of\b.{0,160}$",
        r"join our .{0,40}\b(?:forums?|community)\b.{0,160}$",
        r"note: we are .{0,40}\bmoderating (?:all )?comments\b.{0,120}$",
        r"(?:sometimes )?we (?:may )?include links to\b.{0,180}$",  # an affiliate links' disclosure
        r"updated\b.{0,40}\b(?:19|20)\d{2}\b.{0,30}/\s*original\b.{0,60}$",  # "Updated … / Original …"
        r".{0,80}\bcontributed (?:to )?this (?:report|story|article)\.?\s*$",
        r"share all sharing options\b.{0,120}$",
        r"(?:\S+ ){0,3}newsletter(?: privacy policy\b.{0,80})?\s*$",  # "Pick Six Newsletter"
        r"(?:no responses? (?:so far|yet)\W*|[\w.-]+ is powered by\b.{0,100})\s*$",
        r"(?:like it\? share it!?|keep reading|more stories|you may also like|further reading)\b.{0,60}$",
        r"(?:x |show more )?(?:share|sharing)\b.{0,30}$",
        r"leave a (comment|reply)\b",
        r"(share|tweet|email|print)( this( article| story)?)?"
        r"( on (facebook|twitter|x|linkedin|whatsapp))?\s*$",
        r"share (?:on|via)\b",
        r"(read|see) (more|also)\b.{0,200}$",
        r"related( articles?| stories| coverage| posts| links)?\s*(?::|$)",
        r"(sign up|subscribe) (for|to) (our|the) .{0,60}newsletter",
        r"(advert(?:isement)?|sponsored content|videos?)\s*$",
        r"(?:don'?t|do not) miss\b.{0,40}$",
        r"(?:our |the )?(?:latest|top|more) (?:stories|news|articles|headlines)\s*$",
        r"tell us what you think\b.{0,20}$",
        r"view (?:all|more|comments?)\s*$",
        r"\(?view all\)?\s*$",
        r"thanks? (?:you )?for (?:signing up|subscribing)\b.{0,40}$",  # a newsletter form's messages
        r"(?:please check the opt-in box|there was an error processing|keep an eye on your inbox)\b.{0,80}$",
        r"see all (?:newsletters|stories|news)\s*$",
        r"i agree (?:that|to) .{0,80}(?:newsletters?|terms|privacy|e-?mails?)\b.{0,40}$",
        r"get the latest .{0,40}\b(?:inbox|newsletters?)\b.{0,60}$",
        r"(?:edit profile|sign out|you are signed in as)\b.{0,30}$",
        r"have a tip\?.{0,200}$",  # the writer's address under the article
        r"print this (?:article|story|page)\b.{0,40}$",
        r"next up in\b.{0,40}$",
        r"\(reporting by\b.{0,200}$",  # an agency's credits: "(Reporting by …; Editing by …)"
        r"above: .{1,120}$",  # a photo's caption
        r"\[\s*\d+ comments?\s*\]\s*$",
        r"rating: \d+ votes?\s*$",
        r"(?:[\w.'-]+ ){0,5}submitted photo\s*$",  # a reader's photo credited
        r"\d+ of \d+\s*$",  # a gallery's counter
        r"terms of (?:service|use)\b.{0,40}$",
        r"(?:published|updated|posted)\s+\d.{0,60}$",  # "Published 10:02 AM EST Nov 19, 2019"
        r"in this (?:article|story)\s*:.{0,200}$",
        r"(?:pin it|by|trending)\s*$",
        r"more (?:in|from) .{1,50}$|more \w+ news\s*$|.{1,40}'s most recent stories\s*$",
        r"e-?mail .{1,60}\bat \S+@\S+.{0,120}$",
        r"want more (?:stories|news|articles)\b.{0,40}$",
        r".{0,60}\bsubscribe to (?:our|the) .{0,150}$",
        r"no comments yet\b.{0,60}$",
        r"(?:trending|top|latest|featured) (?:news|now|videos?|stories)\s*$",
        r"follow(?: us)?\s*$",
        r".{0,60}\bsign up for (?:our|the) (?:\w+ )?newsletters?\.?\s*$",
        r"[·•|]?\s*(?:updated|published|posted)\s*:?\s*$",  # the label of a date left without it
        r"[-–«‹]?\s*(?:previous|next|older|newer)(?: \w+){0,3}\s*[-–»›]?\s*$",  # "- Next Harbour News"
        r"write to .{1,60}\bat \S+@\S+\s*$",  # a writer's address under the article
        r"your email address will not be published",
        r"required fields are marked",
        r"save my name, email,? and website",
        r"notify me of (new|follow-up) ",
        r"(post comment|comments?|click here)\b.{0,60}$",
        r"follow us on ",
        r"(all rights reserved|copyright)\b",
        r"(this article|this story) (was|has been) (originally )?(published|updated)\b.{0,120}$",
        r"(?:we|this (?:site|website)) uses? (?:\w+ ){0,3}cookies",
        r"skip to (?:the )?(?:main )?(?:content|navigation)\s*$",
        r"this copy is for your personal,? non-commercial use only",
        r"(?:show|close|hide)(?: more| extra)? shar(?:e|ing) options\s*$",
        r"image \d+ of\W*\d+\s*$",
        r"text size\s*$",
        r"(?:subscribe|sign in|log in|search|menu|close)(?: now)?\s*$",
        r"tags?\s*:",
        r"\d+\s*(?:-\s*)?min(?:ute)?s?\.? read\s*$",
        r"(?:estimated )?reading time\b.{0,20}$",
        r"\d+\s+comments?\s*$",
        r"copy link\b.{0,20}$",
        r"back to (?:gallery|top|home)\s*$",
        r"posted by\s.{0,40}$",
    ),
    articles=frozenset("the a an".split()),
    definite_articles=frozenset("the".split()),
    auxiliaries=frozenset(
        "has had have was were is also too then later further again now recently repeatedly previously once "
        "often publicly privately reportedly frequently already always never even just first flatly simply "
        "quickly openly".split()
    ),
    passive_auxiliaries=frozenset("was were is are been being".split()),
    agent_words=frozenset({"by"}),
    clause_words=frozenset("and but or that which who because while when so with".split()),
    verb_endings=("ed",),
    object_pronouns=frozenset("him her it them".split()),
    impersonal=frozenset("it".split()),
    source_prepositions=frozenset("in".split()),
    list_words=frozenset("and or".split()),
    self_naming=(("calls", "itself"),),
    honorific_genders={
        "mr": "m",
        "mrs": "f",
        "ms": "f",
        "miss": "f",
        "sir": "m",
        "dame": "f",
        "lord": "m",
        "lady": "f",
    },
    feminine_endings=("woman", "wife"),
    byline_prefixes=("by",),
    credit_prefixes=(
        "photo:",
        "photo by",
        "photos:",
        "image:",
        "credit:",
        "photograph:",
        "picture:",
        "illustration:",
    ),
    credit_words=("photo", "credit"),
    time_prepositions=("at",),
    # the most speakers right on PolNeAR train such that on each fifth of it by date, the upper end of the
    # 90% interval of speakers wrong stays within 5% (the later months are harder: what comes next is)
    speaker_threshold=0.78,
)
