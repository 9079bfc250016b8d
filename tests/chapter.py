"""What the site must contain from the chapter "What to Do If You Don't Get
the Job", written out by hand from the source text. Tests compare the built
site with this list; nothing here is read from the site or from docs/.

The chapter's stray `*` and `\\*` marks are cleaned away here, as they must be
on the site; headings are in sentence case.
"""

HOME = {
    "page": "",
    "h1": ("home", "What to do if you don't get the job"),
    "h2": [
        ("introduction", "Introduction"),
        ("ten-steps", "The ten steps at a glance"),
        ("conclusion", "In conclusion"),
    ],
    "text": [
        "In this chapter, we will explore essential strategies and techniques "
        "for handling rejection gracefully and effectively when you don't get "
        "the job you interviewed for. Facing rejection is a natural part of the "
        "job search process, and how you respond to it can impact your future "
        "career opportunities.",
        "In conclusion, dealing with job rejection is an inevitable part of the "
        "job search process. However, how you handle rejection can significantly "
        "impact your future success. By approaching rejection with "
        "professionalism, seeking feedback, and using it as an opportunity for "
        "self-improvement, you can turn setbacks into stepping stones on your "
        "path to career success. Remember that persistence, resilience, and a "
        "positive mindset are key to overcoming rejection and achieving your "
        "long-term career goals.",
    ],
}

# The ten numbered sections, in the chapter's order: page path, H1 (id, text),
# and the two subsections (id, heading, the chapter's sentence).
SECTIONS = [
    ("emotions/", ("emotions", "Step 1: Initial reaction and emotions"), [
        ("managing-disappointment", "Managing disappointment",
         "Acknowledge the initial disappointment and allow yourself to feel the "
         "emotions that come with rejection."),
        ("avoiding-self-doubt", "Avoiding self-doubt",
         "Remind yourself that rejection is not a reflection of your worth or "
         "abilities but often a result of a highly competitive process."),
    ]),
    ("feedback/", ("feedback", "Step 2: Seeking feedback"), [
        ("request-feedback", "Request constructive feedback",
         "If possible, reach out to the hiring manager or HR representative to "
         "request feedback on your interview performance."),
        ("objective-evaluation", "Objective evaluation",
         "Use this feedback as an opportunity to objectively assess your "
         "strengths and areas for improvement."),
    ]),
    ("professionalism/", ("professionalism", "Step 3: Maintaining professionalism"), [
        ("thank-you", "Thank you for the opportunity",
         "Send a gracious thank-you note to the hiring manager, expressing your "
         "appreciation for the opportunity to interview."),
        ("positive-impression", "Leave a positive impression",
         "Reiterate your interest in the company and convey your professionalism "
         "and maturity in handling rejection."),
    ]),
    ("reflect/", ("reflect", "Step 4: Reflect and learn"), [
        ("self-reflection", "Post-interview self-reflection",
         "Take time to reflect on the interview experience, considering what "
         "went well and what could have been improved."),
        ("areas-for-growth", "Identify areas for growth",
         "Use rejection as a catalyst for personal and professional growth, "
         "focusing on areas that need development."),
    ]),
    ("networking/", ("networking", "Step 5: Maintaining networking connections"), [
        ("stay-in-touch", "Stay in touch",
         "Continue to nurture any networking connections you made during the "
         "interview process."),
        ("continued-interest", "Express continued interest",
         "Let your contacts know that you remain interested in the company and "
         "open to future opportunities."),
    ]),
    ("other-opportunities/", ("other-opportunities", "Step 6: Exploring alternative opportunities"), [
        ("expand-your-search", "Expand your job search",
         "Broaden your job search to include other companies and roles that "
         "align with your skills and career goals."),
        ("leverage-your-experience", "Leverage your experience",
         "Highlight the experience gained during the interview process to make "
         "you a stronger candidate in future endeavors."),
    ]),
    ("resilience/", ("resilience", "Step 7: Resilience and perseverance"), [
        ("stay-resilient", "Stay resilient",
         "Remember that rejection is a common part of the job search journey, "
         "and resilience is key to eventual success."),
        ("positive-mindset", "Maintain a positive mindset",
         "Focus on the potential opportunities that lie ahead, and believe in "
         "your ability to achieve your career goals."),
    ]),
    ("professional-help/", ("professional-help", "Step 8: Consider professional help"), [
        ("career-coaching", "Career coaching",
         "Seek out career coaching or counseling services if you find it "
         "challenging to cope with rejection or identify areas for improvement."),
        ("resume-interview-coaching", "Resume and interview coaching",
         "Invest in professional resume and interview coaching to enhance your "
         "job search skills."),
    ]),
    ("support/", ("support", "Step 9: Building a support system"), [
        ("lean-on-your-network", "Lean on your network",
         "Rely on friends, family, mentors, and support groups to provide "
         "emotional support during the job search process."),
        ("share-your-experiences", "Share your experiences",
         "Sharing your experiences with others can help alleviate the isolation "
         "that sometimes accompanies rejection."),
    ]),
    ("keep-applying/", ("keep-applying", "Step 10: Stay persistent and keep applying"), [
        ("continuous-effort", "Continuous effort",
         "Maintain a consistent job search effort, and don't let rejection deter "
         "you from pursuing your career goals."),
        ("step-closer", "Each rejection is a step closer",
         "View each rejection as a stepping stone toward finding the right fit "
         "for your skills and aspirations."),
    ]),
]
