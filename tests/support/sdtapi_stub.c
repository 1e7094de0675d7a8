/*
 * A stand-in for a vendor "sdtapi" library (certified Chinese ID-card readers), for tests.
 *
 * Implements the functions the kiosk's `sdk` card backend calls, with the signatures and
 * return codes of the real SDKs (0x90 ok, 0x9F card found, 0x80 find failed, 0x81 select
 * failed, 0x41 read failed, 0x91 no such content, 0x01 port error, ...), plus STUB_*
 * control functions that tests call through ctypes on the same loaded library.
 *
 * Compile: gcc -shared -fPIC -pthread -o libsdtapi_stub.so sdtapi_stub.c
 *   -DSTUB_NO_APPMSG      leave out SDT_ReadNewAppMsg (SDKs without appended address)
 *   -DSTUB_NO_READBASEMSG leave out SDT_ReadBaseMsg (a broken / wrong library)
 *
 * Behaviour worth knowing:
 * - one device, on port STUB_SetDevicePort (default 1001); SDT_OpenPort of another port,
 *   or any call while STUB_SetPortOk(0), returns 0x01;
 * - with iIfOpen = 0 a call needs the port opened by SDT_OpenPort, else 0x01;
 * - SDT_StartFindIDCard clears the selection; SDT_ReadBaseMsg / SDT_ReadNewAppMsg need a
 *   SDT_SelectIDCard since (0x41 otherwise), like a real reader;
 * - the length arguments of the read functions are honoured as buffer sizes when non-zero
 *   (real SDKs ignore them and write 256 + 1024 bytes);
 * - each inserted card gets a new 8-byte serial number (returned by SDT_SelectIDCard).
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#define SDT_OK 0x90
#define SDT_NO_CONTENT 0x91
#define SDT_FOUND 0x9F
#define SDT_PORT_ERROR 0x01
#define SDT_FIND_FAILED 0x80
#define SDT_SELECT_FAILED 0x81
#define SDT_READ_FAILED 0x41

/* Step numbers used by STUB_SetFailure / STUB_SetRemoveOn / STUB_CallCount. */
enum { ST_OPEN = 1, ST_FIND, ST_SELECT, ST_READ, ST_APPMSG, ST_CLOSE, ST_COUNT };

#define TEXT_MAX 4096
#define PHOTO_MAX 65536
#define APP_MAX 4096

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int device_port = 1001;
static int port_ok = 1;
static int open_port = 0; /* 0 = closed */
static int card_present = 0;
static unsigned int card_serial = 0;
static int selected = 0;
static unsigned char text[TEXT_MAX];
static unsigned int text_len = 0;
static unsigned char photo[PHOTO_MAX];
static unsigned int photo_len = 0;
static unsigned char app[APP_MAX];
static int app_len = -1; /* -1: the card has no appended address (0x91) */
static int fail_code[ST_COUNT];
static int fail_times[ST_COUNT]; /* calls still to fail; -1 = until cleared */
static int remove_on = 0;        /* step that removes the card (one shot) */
static int unplug_on = 0;        /* step that unplugs the device (one shot) */
static int read_delay_ms = 0;
static int calls[ST_COUNT];
static int last_if_open = -1;

static inline unsigned int clamp(unsigned int want, unsigned int *cap, unsigned int dflt) {
    unsigned int limit = (cap != NULL && *cap != 0) ? *cap : dflt;
    return want < limit ? want : limit;
}

/* Common entry checks, with the mutex held. Returns 0 to go on, or a code to return. */
static int enter(int step, int port, int if_open) {
    calls[step]++;
    last_if_open = if_open;
    if (unplug_on == step) { /* the device goes away during this call: receive timeout */
        unplug_on = 0;
        port_ok = 0;
        open_port = 0;
        selected = 0;
        return 0x02;
    }
    if (!port_ok) return SDT_PORT_ERROR;
    if (if_open ? port != device_port : port != open_port || open_port == 0) return SDT_PORT_ERROR;
    if (fail_times[step] != 0) {
        if (fail_times[step] > 0) fail_times[step]--;
        return fail_code[step];
    }
    return 0;
}

/* With the mutex held: does this call remove the card (STUB_SetRemoveOn)? */
static int removes_now(int step) {
    if (remove_on != step) return 0;
    remove_on = 0;
    card_present = 0;
    selected = 0;
    return 1;
}

/* ------------------------------------------------------------------ sdtapi functions */

int SDT_OpenPort(int iPort) {
    int r;
    pthread_mutex_lock(&mu);
    calls[ST_OPEN]++;
    if (fail_times[ST_OPEN] != 0) {
        if (fail_times[ST_OPEN] > 0) fail_times[ST_OPEN]--;
        r = fail_code[ST_OPEN];
    } else if (!port_ok || iPort != device_port) {
        r = SDT_PORT_ERROR;
    } else {
        open_port = iPort;
        r = SDT_OK;
    }
    pthread_mutex_unlock(&mu);
    return r;
}

int SDT_ClosePort(int iPort) {
    int r;
    pthread_mutex_lock(&mu);
    calls[ST_CLOSE]++;
    if (open_port != 0 && iPort == open_port) {
        open_port = 0;
        selected = 0;
        r = SDT_OK;
    } else {
        r = SDT_PORT_ERROR;
    }
    pthread_mutex_unlock(&mu);
    return r;
}

int SDT_StartFindIDCard(int iPort, unsigned char *pucManaInfo, int iIfOpen) {
    int r;
    pthread_mutex_lock(&mu);
    r = enter(ST_FIND, iPort, iIfOpen);
    if (r == 0) {
        selected = 0;
        if (removes_now(ST_FIND) || !card_present) {
            r = SDT_FIND_FAILED;
        } else {
            memset(pucManaInfo, 0, 8);
            r = SDT_FOUND;
        }
    }
    pthread_mutex_unlock(&mu);
    return r;
}

int SDT_SelectIDCard(int iPort, unsigned char *pucManaMsg, int iIfOpen) {
    int r;
    pthread_mutex_lock(&mu);
    r = enter(ST_SELECT, iPort, iIfOpen);
    if (r == 0) {
        if (removes_now(ST_SELECT) || !card_present) {
            r = SDT_SELECT_FAILED;
        } else {
            unsigned int i;
            for (i = 0; i < 8; i++) pucManaMsg[i] = (unsigned char)(i < 4 ? card_serial >> (8 * i) : 0xA0 + i);
            selected = 1;
            r = SDT_OK;
        }
    }
    pthread_mutex_unlock(&mu);
    return r;
}

#ifndef STUB_NO_READBASEMSG
int SDT_ReadBaseMsg(int iPort, unsigned char *pucCHMsg, unsigned int *puiCHMsgLen, unsigned char *pucPHMsg,
                    unsigned int *puiPHMsgLen, int iIfOpen) {
    int r, delay;
    pthread_mutex_lock(&mu);
    delay = read_delay_ms;
    pthread_mutex_unlock(&mu);
    if (delay > 0) {
        struct timespec ts = {delay / 1000, (long)(delay % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&mu);
    r = enter(ST_READ, iPort, iIfOpen);
    if (r == 0) {
        if (removes_now(ST_READ) || !card_present || !selected) {
            r = SDT_READ_FAILED;
        } else {
            unsigned int n = clamp(text_len, puiCHMsgLen, 256);
            unsigned int m = clamp(photo_len, puiPHMsgLen, 1024);
            memcpy(pucCHMsg, text, n);
            memcpy(pucPHMsg, photo, m);
            *puiCHMsgLen = n;
            *puiPHMsgLen = m;
            r = SDT_OK;
        }
    }
    pthread_mutex_unlock(&mu);
    return r;
}
#endif

#ifndef STUB_NO_APPMSG
int SDT_ReadNewAppMsg(int iPort, unsigned char *pucAppMsg, unsigned int *puiAppMsgLen, int iIfOpen) {
    int r;
    pthread_mutex_lock(&mu);
    r = enter(ST_APPMSG, iPort, iIfOpen);
    if (r == 0) {
        if (removes_now(ST_APPMSG) || !card_present || !selected) {
            r = SDT_READ_FAILED;
        } else if (app_len < 0) {
            *puiAppMsgLen = 0;
            r = SDT_NO_CONTENT;
        } else {
            unsigned int n = clamp((unsigned int)app_len, puiAppMsgLen, 280);
            memcpy(pucAppMsg, app, n);
            *puiAppMsgLen = n;
            r = SDT_OK;
        }
    }
    pthread_mutex_unlock(&mu);
    return r;
}
#endif

/* ------------------------------------------------------------------ test controls */

void STUB_Reset(void) {
    pthread_mutex_lock(&mu);
    device_port = 1001;
    port_ok = 1;
    open_port = 0;
    card_present = 0;
    selected = 0;
    text_len = photo_len = 0;
    app_len = -1;
    memset(fail_code, 0, sizeof fail_code);
    memset(fail_times, 0, sizeof fail_times);
    memset(calls, 0, sizeof calls);
    remove_on = 0;
    unplug_on = 0;
    read_delay_ms = 0;
    last_if_open = -1;
    pthread_mutex_unlock(&mu);
}

/* Put a card on the reader (replacing any card): text block and photo as the SDK returns
 * them. Lengths are cut to the stub's buffers; a negative length counts as 0. */
void STUB_InsertCard(const unsigned char *text_in, int text_in_len, const unsigned char *photo_in, int photo_in_len) {
    pthread_mutex_lock(&mu);
    text_len = text_in_len < 0 ? 0 : (unsigned int)text_in_len > TEXT_MAX ? TEXT_MAX : (unsigned int)text_in_len;
    photo_len = photo_in_len < 0 ? 0 : (unsigned int)photo_in_len > PHOTO_MAX ? PHOTO_MAX : (unsigned int)photo_in_len;
    if (text_len) memcpy(text, text_in, text_len);
    if (photo_len) memcpy(photo, photo_in, photo_len);
    app_len = -1;
    card_serial++;
    card_present = 1;
    selected = 0;
    pthread_mutex_unlock(&mu);
}

/* Appended address data of the card on the reader; len < 0: none (ReadNewAppMsg -> 0x91). */
void STUB_SetAppended(const unsigned char *data, int len) {
    pthread_mutex_lock(&mu);
    if (len < 0) {
        app_len = -1;
    } else {
        app_len = len > APP_MAX ? APP_MAX : len;
        if (app_len) memcpy(app, data, (size_t)app_len);
    }
    pthread_mutex_unlock(&mu);
}

void STUB_RemoveCard(void) {
    pthread_mutex_lock(&mu);
    card_present = 0;
    selected = 0;
    pthread_mutex_unlock(&mu);
}

/* Make step `which` return `code` for the next `times` calls (-1: until cleared; 0 clears). */
void STUB_SetFailure(int which, int code, int times) {
    if (which < 1 || which >= ST_COUNT) return;
    pthread_mutex_lock(&mu);
    fail_code[which] = code;
    fail_times[which] = times;
    pthread_mutex_unlock(&mu);
}

/* The next call of step `which` removes the card (and fails as it would without one). */
void STUB_SetRemoveOn(int which) {
    pthread_mutex_lock(&mu);
    remove_on = which;
    pthread_mutex_unlock(&mu);
}

/* The next call of step `which` unplugs the device: it returns 0x02 (receive timeout)
 * and from then on everything returns 0x01 until STUB_SetPortOk(1). */
void STUB_SetUnplugOn(int which) {
    pthread_mutex_lock(&mu);
    unplug_on = which;
    pthread_mutex_unlock(&mu);
}

/* ok = 0: the device is unplugged (OpenPort and every call return 0x01); 1: back. */
void STUB_SetPortOk(int ok) {
    pthread_mutex_lock(&mu);
    port_ok = ok;
    if (!ok) {
        open_port = 0;
        selected = 0;
    }
    pthread_mutex_unlock(&mu);
}

void STUB_SetDevicePort(int port) {
    pthread_mutex_lock(&mu);
    device_port = port;
    pthread_mutex_unlock(&mu);
}

void STUB_SetReadDelayMs(int ms) {
    pthread_mutex_lock(&mu);
    read_delay_ms = ms;
    pthread_mutex_unlock(&mu);
}

int STUB_CallCount(int which) {
    int n;
    if (which < 1 || which >= ST_COUNT) return -1;
    pthread_mutex_lock(&mu);
    n = calls[which];
    pthread_mutex_unlock(&mu);
    return n;
}

/* The port currently open (0 = closed). */
int STUB_CurrentPort(void) {
    int p;
    pthread_mutex_lock(&mu);
    p = open_port;
    pthread_mutex_unlock(&mu);
    return p;
}

int STUB_LastIfOpen(void) {
    int v;
    pthread_mutex_lock(&mu);
    v = last_if_open;
    pthread_mutex_unlock(&mu);
    return v;
}
