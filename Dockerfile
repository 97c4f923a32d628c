# The production image: gunicorn for the web app, the same image for Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 tsunagu
WORKDIR /app

# python-ldap (directory sign-in) builds against OpenLDAP's and Cyrus SASL's headers; the
# compiler and headers are removed again, the libraries stay.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libldap2-dev libsasl2-dev \
 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml ./
COPY config ./config
COPY casework ./casework
COPY referrals ./referrals
COPY outreach ./outreach
COPY indicators ./indicators
COPY returns ./returns
COPY reminders ./reminders
COPY security ./security
COPY directory ./directory
RUN pip install '.[ldap,s3]' \
 && apt-get purge -y --auto-remove build-essential \
 && apt-get update && apt-get install -y --no-install-recommends libldap-2.5-0 libsasl2-2 \
 && rm -rf /var/lib/apt/lists/*

COPY . .
# Message catalogs and static files are built into the image; the build needs no secrets.
RUN DJANGO_DEBUG=true python manage.py compile_locale \
 && DJANGO_DEBUG=false DJANGO_SECRET_KEY=image-build-only python manage.py collectstatic --noinput \
 && mkdir -p /app/var /app/attachments && chown -R tsunagu /app/var /app/attachments

USER tsunagu
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
