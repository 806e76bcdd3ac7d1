"""Public XSS vectors: the OWASP XSS Filter Evasion Cheat Sheet's families, and Markdown's own.

Every vector calls ``alert``/``confirm``/``prompt``/``print`` (or loads a script from
an address that does not exist) so the browser test notices it running. ``VECTORS``
is the corpus; ``SHORT_VECTORS`` those that fit a 160-character name.
"""

# The "ultimate" polyglot of the cheat sheet (0xsobky), and two shorter classics.
POLYGLOTS = [
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/"
    "</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
    "'\"--></style></script><script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "javascript:\"/*'/*`/*--></noscript></title></textarea></style></template>"
    "</noembed></script><html \" onmouseover=/*&lt;svg/*/onload=alert()//>",
]

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.invalid/xss.js></SCRIPT>",
    "<script src=//xss.invalid/a.js></script>",
    "<SCRIPT/XSS SRC=\"https://xss.invalid/xss.js\"></SCRIPT>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<SCRIPT SRC=https://xss.invalid/xss.js?< B >",
    "<SCRIPT SRC=//xss.invalid/.j>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<SCRIPT>document.write(\"<SCRI\");</SCRIPT>PT SRC=\"https://xss.invalid/xss.js\"></SCRIPT>",
    "<SCRIPT a=\">\" SRC=\"https://xss.invalid/xss.js\"></SCRIPT>",
    "<SCRIPT \"a='>'\" SRC=\"https://xss.invalid/xss.js\"></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\x20type=\"text/javascript\">javascript:alert(1);</script>",
    "<script\x0Dtype=\"text/javascript\">alert(1);</script>",
    "<script\x2Ftype=\"text/javascript\">alert(1);</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
]

JAVASCRIPT_URLS = [
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"jav\tascript:alert(1)\">tab</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">encoded tab</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">encoded newline</a>",
    "<a href=\"jav&#x0D;ascript:alert(1)\">encoded return</a>",
    "<a href=\" &#14;  javascript:alert(1)\">leading junk</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">dec</a>",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058alert(1)\">padded</a>",
    "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">hex</a>",
    "<a href=\"javascript&colon;alert(1)\">named colon</a>",
    "<a href=\"java&NewLine;script:alert(1)\">NewLine</a>",
    "<a href=\"java&Tab;script:alert(1)\">Tab</a>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<a href=\"livescript:alert(1)\">live</a>",
    "<a href=\"  javascript:alert(1)\">spaces</a>",
    "<a href=javascript:alert(1)>unquoted</a>",
    "<a href=`javascript:alert(1)`>backticks</a>",
    "<a href=\"javascript:alert(1)\"",
    "<a href=\"javascript:void(0)\" onclick=\"alert(1)\">both</a>",
    "<A HREF=\"//xss.invalid/\">scheme-relative</A>",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<form><button formaction=\"javascript:alert(1)\">X</button></form>",
    "<isindex action=\"javascript:alert(1)\" type=submit>",
    "<input type=\"image\" src=\"javascript:alert(1)\">",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav\nascript:alert('XSS');\">",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72"
    "&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
]

DATA_URLS = [
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">data</a>",
    "<a href=\"DATA:text/html,<script>alert(1)</script>\">DATA</a>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "<embed src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
    "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<script src=\"data:text/javascript,alert(1)\"></script>",
]

SVG_AND_MATHML = [
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><script xlink:href=\"data:,alert(1)\"></script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
    "<svg><a href=\"javascript:alert(1)\"><circle r=\"40\"></circle></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><set attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg' "
    "onload='alert(1)'/>#x\"/></svg>",
    "<svg><foreignObject><iframe srcdoc=\"<script>alert(1)</script>\"></iframe>"
    "</foreignObject></svg>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<svg><image href=x onerror=alert(1)></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">X</mi></math>",
    "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">X</maction>"
    "</math>",
    "<math href=\"javascript:alert(1)\">click</math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
    "</table></mtext></math>",
    "<math><mtext><option><FAKEFAKE><option></option><mglyph><svg><mtext><style>"
    "<a title=\"</style><img src='#' onerror='alert(1)'>\">",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<BODY ONLOAD=alert('XSS')>",
    "<body onpageshow=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\">",
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<div onpointerover=\"alert(1)\">hover</div>",
    "<p onclick=alert(1)>click</p>",
    "<a onmouseover=alert(1)>hover</a>",
    "<b onmouseover=alert(1)>bold</b>",
    "<span onfocus=alert(1) tabindex=1 autofocus>x</span>",
    "<table onmouseover=alert(1)><tr><td>x</td></tr></table>",
    "<td onclick=alert(1)>cell</td>",
    "<abbr title=x onmouseover=alert(1)>abbr</abbr>",
    "<code onclick=alert(1)>code</code>",
    "<blockquote onclick=alert(1)>q</blockquote>",
    "<h1 onmouseover=alert(1)>title</h1>",
    "<li onclick=alert(1)>item</li>",
    "<object onerror=alert(1)>",
    "<iframe onload=alert(1)>",
    "<style onload=alert(1)></style>",
    "<button onclick=alert(1)>button</button>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099"
    "&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114"
    "&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<img src=x ONERROR=alert(1)>",
    "<img src=x oNeRrOr=alert(1)>",
    "<img src=x onerror\t=alert(1)>",
    "<img src=x onerror\n=alert(1)>",
    "<img src=x onerror=alert`1`>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror=confirm(1)>",
    "<img src=x onerror=prompt(1)>",
    "<img src=x onerror=print()>",
    "<img src=x onerror=top['al'+'ert'](1)>",
    "<img src=x onerror=window['ale'+'rt'](1)>",
    "<img src=x onerror=\"eval(atob('YWxlcnQoMSk='))\">",
]

BROKEN_TAGS = [
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<SCRIPT/SRC=\"https://xss.invalid/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<iframe src=https://xss.invalid/ <",
    "<img src=x onerror=alert(1)//",
    "<img src=\"x\" onerror=\"alert(1)\"",
    "<img src=x onerror=alert(1) <",
    "<a href=\"https://example.org\" onclick=alert(1) <b>",
    "<<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>>",
    "</p><img src=x onerror=alert(1)><p>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<!-- --!><img src=x onerror=alert(1)>-->",
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "<?xml version=\"1.0\"?><img src=x onerror=alert(1)>",
    "<div><p>unclosed <img src=x onerror=alert(1)",
    "<scri\x00pt>alert(1)</scri\x00pt>",
    "<img src=x on\x00error=alert(1)>",
]

ATTRIBUTE_BREAKING = [
    "\" onmouseover=\"alert(1)",
    "' onmouseover='alert(1)",
    "\"><script>alert(1)</script>",
    "'><script>alert(1)</script>",
    "\" autofocus onfocus=\"alert(1)",
    "` onmouseover=`alert(1)",
    "\"><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "\";alert(1);//",
    "';alert(1);//",
    "{{7*7}}<img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
]

CSS = [
    "<div style=\"width: expression(alert(1));\">css</div>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061"
    "\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027"
    "\\0058.1053\\0053\\0027\\0029'\\0029\">",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<STYLE>@import'https://xss.invalid/xss.css';</STYLE>",
    "<STYLE>BODY{-moz-binding:url(\"https://xss.invalid/xssmoz.xml#xss\")}</STYLE>",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
    "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE>"
    "<A CLASS=XSS></A>",
    "<span style=\"position:fixed;top:0;left:0;width:100%;height:100%\" "
    "onmouseover=alert(1)>overlay</span>",
    "<p style=\"behavior: url(xss.htc);\">behaviour</p>",
    "<XSS STYLE=\"behavior: url(xss.htc);\">",
]

FRAMES_AND_EMBEDS = [
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<iframe srcdoc=\"&lt;img src=x onerror=alert(1)&gt;\"></iframe>",
    "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"https://xss.invalid/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"https://xss.invalid/xss.swf\" AllowScriptAccess=\"always\"></EMBED>",
    "<embed src=\"javascript:alert(1)\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,"
    "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0; URL=https://;URL=javascript:alert('XSS');\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<base href=\"https://xss.invalid/\">",
    "<link rel=import href=\"https://xss.invalid/x.html\">",
    "<applet code=\"javascript:alert(1)\"></applet>",
    "<portal src=\"https://xss.invalid/\"></portal>",
]

MARKDOWN = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x\" onerror=\"alert(1)](https://example.org/x.png)",
    "![x](https://example.org/x.png\"onerror=\"alert(1))",
    "![x](x\" onerror=\"alert(1))",
    "[x](https://example.org \"title\" onclick=\"alert(1)\")",
    "[a][ref]\n\n[ref]: javascript:alert(1)",
    "[a][ref]\n\n[ref]: javascript:alert(1) \"title\"",
    "![a][img]\n\n[img]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[<img src=x onerror=alert(1)>](https://example.org)",
    "[x](https://example.org)<img src=x onerror=alert(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "```html\"><img src=x onerror=alert(1)>\ncode\n```",
    "> <img src=x onerror=alert(1)>",
    "* <img src=x onerror=alert(1)>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    "<div markdown=\"1\">[x](javascript:alert(1))</div>",
    "*[HTML]: <img src=x onerror=alert(1)>\n\nHTML",
    "Text[^1]\n\n[^1]: <img src=x onerror=alert(1)>",
    "<details><summary>x</summary><img src=x onerror=alert(1)></details>",
    "[x](#\" onclick=\"alert(1))",
    "[x](https://example.org/\"><script>alert(1)</script>)",
    "Term\n: <img src=x onerror=alert(1)>",
    "<https://example.org/\"onmouseover=\"alert(1)>",
    "www.example.org/\"onmouseover=\"alert(1)",
    "https://example.org/<script>alert(1)</script>",
    "[x]: <javascript:alert(1)>\n\n[x]",
    "## <img src=x onerror=alert(1)> {#id onclick=alert(1)}",
    "Paragraph\n{: onclick=\"alert(1)\" }",
    "[x](javascript://%0aalert(1))",
]

VECTORS: list[str] = [
    *POLYGLOTS, *SCRIPT_TAGS, *JAVASCRIPT_URLS, *DATA_URLS, *SVG_AND_MATHML, *EVENT_HANDLERS,
    *BROKEN_TAGS, *ATTRIBUTE_BREAKING, *CSS, *FRAMES_AND_EMBEDS, *MARKDOWN,
]

NAME_MAX = 160
SHORT_VECTORS: list[str] = [v for v in VECTORS if len(v) <= NAME_MAX]
