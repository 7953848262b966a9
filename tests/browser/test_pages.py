"""The web pages in headless Chromium, as a student and an instructor would use them.

Driven by scripts/browser-test.sh, which starts `podium serve` on a temporary home with the
flight-cancellations challenge published and two invited accounts (alice, prof).
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["BASE_URL"]
SHOTS = os.environ["SHOTS"]
PASSWORD = "correct horse battery"


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # After a click the next page takes a moment: element look-ups wait for it (up to 20 s).
    driver.implicitly_wait(20)
    return driver


def shoot(driver, name):
    """A full-page screenshot at desktop width and at a phone's 390 px."""
    for width, label in [(1280, "desktop"), (390, "phone")]:
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height + 120, 600), 4000))
        driver.save_screenshot(os.path.join(SHOTS, f"{name}-{label}.png"))
    driver.set_window_size(1280, 900)


problems = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        problems.append(what)


def console_errors(driver):
    """Console messages about the content security policy, or any error the page logged."""
    out = []
    for entry in driver.get_log("browser"):
        text = entry.get("message", "")
        if "Content Security Policy" in text or "Refused to" in text or entry.get("level") == "SEVERE":
            # The wrong-password form (401) and the 404 page answer with their status on
            # purpose; a favicon is asked for by the browser on its own.
            if "Failed to load resource" in text and ("status of 401" in text or "status of 404" in text):
                continue
            out.append(text)
    return out


def set_password(driver, code):
    driver.get(f"{BASE}/invite/{code}")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.NAME, "again").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(driver, 20).until(ec.url_to_be(f"{BASE}/"))


def sign_out(driver):
    driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, "a[href='/login']")))


def sign_in(driver, name):
    driver.get(f"{BASE}/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(driver, 20).until(ec.url_to_be(f"{BASE}/"))


def wait_for_text(driver, text, seconds=20):
    """Whether `text` appears in the page within `seconds` (after a click, the answer takes a moment)."""
    try:
        WebDriverWait(driver, seconds).until(lambda d: text in d.page_source)
        return True
    except Exception:
        return False


def main():
    driver = browser()
    try:
        driver.get(BASE + "/")
        shoot(driver, "01-welcome")
        # Alice: set her password from the invite, sign out, sign in with the form.
        set_password(driver, os.environ["ALICE_INVITE"])
        sign_out(driver)
        driver.get(f"{BASE}/login")
        driver.find_element(By.NAME, "name").send_keys("alice")
        driver.find_element(By.NAME, "password").send_keys("not the password")
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        check(wait_for_text(driver, "wrong name or password"), "a wrong password is refused on the form")
        shoot(driver, "02-login-refused")
        sign_in(driver, "alice")
        check(wait_for_text(driver, "Alice Example"), "signed in: the display name is in the header")
        shoot(driver, "03-challenges")
        # The challenge's overview, then the submit form.
        driver.find_element(By.LINK_TEXT, "Overview").click()
        WebDriverWait(driver, 20).until(ec.url_contains("/c/flight-cancellations"))
        check("/c/flight-cancellations" in driver.current_url, "the overview opens")
        shoot(driver, "04-overview")
        driver.find_element(By.LINK_TEXT, "Submit").click()
        shoot(driver, "05-submit")
        driver.find_element(By.NAME, "file").send_keys(os.environ["SUBMISSION"])
        driver.find_element(By.NAME, "message").send_keys("the baseline")
        driver.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data'] button[type=submit]").click()
        WebDriverWait(driver, 20).until(ec.url_contains("/c/flight-cancellations/submissions/"))
        check(True, "the form redirects to the submission's page: " + driver.current_url)
        # The script follows the evaluation and reloads the page once it is final.
        start = time.time()
        WebDriverWait(driver, 120).until(
            lambda d: "status-scored" in d.find_element(By.ID, "live-status").get_attribute("class"))
        check(True, f"the status page shows 'scored' by itself after {time.time() - start:.1f} s")
        check(wait_for_text(driver, "auc (primary)"), "the scores are shown")
        shoot(driver, "06-submission-scored")
        driver.find_element(By.LINK_TEXT, "Leaderboard").click()
        teams = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "table.board tbody td:nth-child(2)")]
        check("alice" in teams, f"the leaderboard lists the team ({teams})")
        check(len(driver.find_elements(By.CSS_SELECTOR, ".chart svg")) >= 1, "the chart is drawn")
        shoot(driver, "07-leaderboard")
        driver.find_element(By.LINK_TEXT, "Submissions").click()
        shoot(driver, "08-submissions")
        driver.get(f"{BASE}/account")
        driver.find_element(By.NAME, "label").send_keys("laptop")
        driver.find_element(By.CSS_SELECTOR, "form[action='/account/tokens'] button").click()
        check("pod_" in driver.find_element(By.CSS_SELECTOR, ".secret").text, "a new token is shown once")
        shoot(driver, "09-account")
        errors = console_errors(driver)
        check(not errors, f"no CSP violation or error in the console as a student ({errors})")
        sign_out(driver)
        # The instructor: the admin page, the check report, a re-score with its progress.
        set_password(driver, os.environ["PROF_INVITE"])
        driver.get(f"{BASE}/admin")
        check(wait_for_text(driver, "Accounts") and "alice" in driver.page_source, "the admin page lists the roster")
        shoot(driver, "10-admin")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/rescore'] button").click()
        WebDriverWait(driver, 20).until(ec.url_contains("/admin/jobs/"))
        WebDriverWait(driver, 120).until(lambda d: "done" in d.find_element(By.CSS_SELECTOR, ".status").text)
        check(True, "the re-score job reaches 'done'")
        shoot(driver, "11-job")
        driver.get(f"{BASE}/admin/c/flight-cancellations/check")
        shoot(driver, "12-check")
        driver.get(f"{BASE}/c/flight-cancellations/leaderboard")
        shoot(driver, "13-leaderboard-instructor")
        driver.get(f"{BASE}/nowhere")
        shoot(driver, "14-not-found")
        errors = console_errors(driver)
        check(not errors, f"no CSP violation or error in the console as an instructor ({errors})")
    finally:
        driver.quit()
    if problems:
        print(f"browser-test: {len(problems)} failed", file=sys.stderr)
        sys.exit(1)
    print("browser-test: all passed")


if __name__ == "__main__":
    main()
