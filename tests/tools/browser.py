#!/usr/bin/python3
"""A visitor with a real browser: headless Chromium driven by Selenium.

browser.py URL OUTDIR STEP...  runs each step against the verification
service at URL, saves a screenshot of each page in OUTDIR and prints one
line per step, for the shell test to check:

  page REF NAME             open /v/REF; prints "NAME STATUS TITLE"
                            (STATUS from the banner's data-status)
  form TEXT NAME            open /, type TEXT, press Check; prints
                            "NAME PATH STATUS" (where it landed)
  file REF PDF NAME         open /v/REF, pick PDF in the file check, wait
                            for its answer; prints "NAME RESULT"

Exit 0 when every step ran; 1 with the reason otherwise.
"""
import os
import sys
import tempfile
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def browser(profile):
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--no-first-run",
              "--window-size=420,1200", "--user-data-dir=" + profile):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def status(d):
    return d.find_element(By.ID, "status").get_attribute("data-status")


def main():
    url, out, steps = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tempfile.TemporaryDirectory(dir=out) as profile:
        d = browser(profile)
        try:
            wait = WebDriverWait(d, 20)
            while steps:
                step = steps.pop(0)
                if step == "page":
                    ref, name = steps.pop(0), steps.pop(0)
                    d.get(url + "/v/" + ref)
                    print(name, status(d), d.title.replace(" ", "_"))
                elif step == "form":
                    text, name = steps.pop(0), steps.pop(0)
                    d.get(url + "/")
                    d.find_element(By.ID, "ref").send_keys(text)
                    d.find_element(By.ID, "submit").click()
                    wait.until(lambda x: "/v/" in x.current_url)
                    print(name, urllib.parse.urlparse(d.current_url).path, status(d))
                elif step == "file":
                    ref, pdf, name = steps.pop(0), steps.pop(0), steps.pop(0)
                    d.get(url + "/v/" + ref)
                    d.find_element(By.ID, "file").send_keys(os.path.abspath(pdf))
                    res = d.find_element(By.ID, "filecheck-result")
                    wait.until(lambda x: res.get_attribute("data-result")
                               not in ("", "checking"))
                    print(name, res.get_attribute("data-result"))
                else:
                    sys.exit("browser.py: unknown step " + step)
                d.save_screenshot(os.path.join(out, name + ".png"))
        finally:
            d.quit()


if __name__ == "__main__":
    main()
